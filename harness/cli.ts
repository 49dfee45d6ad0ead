// Placeholder until the harness lands (issue 3): says so plainly instead of pretending.
process.stderr.write('durable-jobs chaos harness: not built yet\n');
process.exitCode = 1;
