import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * librdkafka's mock cluster — a real Kafka-protocol broker held in memory — run as a child
 * process on loopback (test/helpers/kafka-mock/mock-cluster.c, compiled on first use into
 * test/.build/). Tests that need Kafka use it instead of a server that cannot be installed
 * here. CI installs librdkafka-dev (.ci/run), so a missing compiler or library is an error
 * with instructions, never a silent skip.
 */
const source = fileURLToPath(new URL('./kafka-mock/mock-cluster.c', import.meta.url));
const buildDir = fileURLToPath(new URL('../.build/', import.meta.url));
const binary = `${buildDir}kafka-mock-cluster`;

function compile(): string {
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(buildDir, { recursive: true });
  // Parallel test files may compile at once: each writes its own file, the rename is atomic.
  const temporary = `${binary}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O1', '-o', temporary, source, '-lrdkafka'], { stdio: 'pipe' });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    throw new Error(
      `cannot build the Kafka mock cluster (${source}): it needs a C compiler (cc) and ` +
        `librdkafka's headers and library ('apt-get install -y librdkafka-dev', as .ci/run does).\n${detail}`,
    );
  }
  renameSync(temporary, binary);
  return binary;
}

export class KafkaMock {
  private readonly lines: Interface;
  private readonly replies: string[] = [];
  private readonly waiting: ((line: string) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly child: ChildProcess,
    /** `host:port,...` of the mock brokers. */
    readonly bootstrapServers: string,
    lines: Interface,
  ) {
    this.lines = lines;
    lines.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.replies.push(line);
    });
  }

  /** Starts a cluster of `brokers` brokers (ids 1..n). */
  static async start(options: { brokers?: number } = {}): Promise<KafkaMock> {
    const path = compile();
    const child = spawn(path, [String(options.brokers ?? 1)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Kafka mock cluster did not start')), 10_000);
      child.once('exit', (code) =>
        reject(new Error(`Kafka mock cluster exited with code ${code} before listening`)),
      );
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
    if (!first.startsWith('BOOTSTRAP ')) {
      child.kill('SIGKILL');
      throw new Error(`Kafka mock cluster said '${first}' instead of its bootstrap address`);
    }
    return new KafkaMock(child, first.slice('BOOTSTRAP '.length).trim(), lines);
  }

  get brokers(): string[] {
    return this.bootstrapServers.split(',');
  }

  /** `kafka://<bootstrap>/<topic>` as the configuration writes Kafka servers. */
  url(topic = ''): string {
    return `kafka://${this.bootstrapServers}/${topic}`;
  }

  private command(line: string): Promise<void> {
    const run = async () => {
      if (this.child.exitCode !== null) throw new Error('Kafka mock cluster is not running');
      const reply = new Promise<string>((resolve) => {
        const ready = this.replies.shift();
        if (ready !== undefined) resolve(ready);
        else this.waiting.push(resolve);
      });
      this.child.stdin!.write(`${line}\n`);
      const answer = await reply;
      if (answer !== 'OK') throw new Error(`Kafka mock cluster refused '${line}': ${answer}`);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  createTopic(name: string, partitions = 1): Promise<void> {
    return this.command(`topic ${name} ${partitions}`);
  }

  /** The broker closes its connections and refuses new ones; its data is kept. */
  brokerDown(id = 1): Promise<void> {
    return this.command(`down ${id}`);
  }

  brokerUp(id = 1): Promise<void> {
    return this.command(`up ${id}`);
  }

  setRtt(id: number, ms: number): Promise<void> {
    return this.command(`rtt ${id} ${ms}`);
  }

  /** Destroys the cluster and everything it held. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.lines.close();
  }
}
