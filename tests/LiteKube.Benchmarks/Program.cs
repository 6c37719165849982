using LiteKube.Benchmarks;

// The benchmark is a console program, not a test: its output (a Markdown table) is the product,
// so it writes to the console directly. Usage and options: BenchmarkOptions.Usage.
return await BenchmarkRunner.MainAsync(args);
