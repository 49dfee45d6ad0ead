export default function Home() {
  return <p>durable-jobs example: the API is under /api/jobs.</p>;
}
