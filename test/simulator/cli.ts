/**
 * Runs the omni-fast simulator as a process:
 *
 *   tsx test/simulator/cli.ts [--port N] [--storage-port N] [--token T] [--queued-ms N] [--processing-ms N]
 *                             [--host H] [--video-file F] [--portrait-video-file F] [--pace-bytes-per-second N] [--quiet]
 *
 * Prints one JSON line {"apiBaseUrl","controlUrl","storageOrigin","token"} on stdout, then a
 * human-readable request log on stderr. Stops on SIGINT/SIGTERM.
 */
import { startSimulator, type SimulatorOptions } from './server';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage: tsx test/simulator/cli.ts [--port N] [--storage-port N] [--token T] [--queued-ms N] [--processing-ms N]\n' +
      '                                [--host H] [--video-file F] [--portrait-video-file F] [--pace-bytes-per-second N] [--quiet]\n',
  );
  process.exit(message ? 2 : 0);
}

function parseArgs(argv: string[]): SimulatorOptions & { quiet: boolean } {
  const opts: SimulatorOptions & { quiet: boolean } = { quiet: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = (): string => {
      if (value !== undefined) return value;
      const next = argv[++i];
      if (next === undefined) usage(`missing value for ${arg}`);
      return next;
    };
    const num = (): number => {
      const raw = take();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) usage(`${arg} expects a non-negative integer, got ${JSON.stringify(raw)}`);
      return n;
    };
    switch (arg) {
      case '--port':
        opts.port = num();
        break;
      case '--storage-port':
        opts.storagePort = num();
        break;
      case '--token':
        opts.token = take();
        break;
      case '--queued-ms':
        opts.queuedMs = num();
        break;
      case '--processing-ms':
        opts.processingMs = num();
        break;
      case '--host':
        opts.host = take();
        break;
      case '--video-file':
        opts.videoFile = take();
        break;
      case '--portrait-video-file':
        opts.portraitVideoFile = take();
        break;
      case '--pace-bytes-per-second':
        opts.paceBytesPerSecond = num();
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown argument ${JSON.stringify(argv[i])}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const { quiet, ...options } = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({
    ...options,
    log: quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({ apiBaseUrl: sim.apiBaseUrl, controlUrl: sim.controlUrl, storageOrigin: sim.storageOrigin, token: sim.token })}\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) process.stderr.write(`simulator: ${signal}, closing\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
