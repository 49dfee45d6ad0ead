// durable-jobs ships TypeScript sources: Next.js compiles them like the app's own.
/** @type {import('next').NextConfig} */
const config = { transpilePackages: ['durable-jobs'] };
export default config;
