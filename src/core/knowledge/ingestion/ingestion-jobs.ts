import { OutcropError } from '../../errors.js';
import { emptyIngestionStatistics, type IngestionJobRecord } from '../registry/knowledge-base-record.js';
import { newResourceId, pageOf } from '../registry/resource-ids.js';
import type { IngestionEnvironment } from './ingestion-environment.js';
import { runIngestionJob } from './run-ingestion-job.js';

export interface IngestionJobsOptions {
  /** documents one job processes at once (default 2) */
  concurrency?: number;
  /** how often a running job's progress is written at most (default 1 s) */
  progressIntervalMs?: number;
  newId?: () => string;
  /** told of a job that failed as a whole, or of a progress write that failed */
  onError?: (error: unknown, job: IngestionJobRecord) => void;
}

/** Why a running job's signal was aborted. */
type AbortCause = 'stop' | 'close' | 'delete';

interface RunningJob {
  job: IngestionJobRecord;
  controller: AbortController;
  done: Promise<void>;
  /** writes the job through the runner's ordered progress writes, once it runs */
  save?: (record: IngestionJobRecord) => Promise<void>;
}

/**
 * Bedrock's ingestion jobs: StartIngestionJob records a STARTING job and runs it in the background
 * (IN_PROGRESS, then COMPLETE, or FAILED when the source cannot be read at all); StopIngestionJob
 * moves it to STOPPING and it stops between documents (STOPPED). One job runs per data source at a
 * time (`ConflictException` otherwise). Progress is written as the job goes, so a job cut off by a
 * crash or shutdown is found by `resume()` at the next start and run again: sync is incremental and
 * each document is replaced atomically, so re-running is safe and re-embeds nothing already done.
 *
 * @example
 * const jobs = new IngestionJobs(environment);
 * await jobs.resume();
 * const job = await jobs.start('KB12345678', 'DS12345678', { description: 'nightly' });
 * await jobs.whenDone(job.ingestionJobId);
 */
export class IngestionJobs {
  private readonly running = new Map<string, RunningJob>();
  private readonly tokens = new Map<string, string>();
  private readonly newId: () => string;
  private closed = false;

  constructor(
    private readonly environment: IngestionEnvironment,
    private readonly options: IngestionJobsOptions = {},
  ) {
    this.newId = options.newId ?? newResourceId;
  }

  /** StartIngestionJob: a STARTING job, run in the background. */
  async start(knowledgeBaseId: string, dataSourceId: string, input: { description?: string; clientToken?: string } = {}): Promise<IngestionJobRecord> {
    await this.dataSourceOf(knowledgeBaseId, dataSourceId);
    const tokenKey = input.clientToken ? `${knowledgeBaseId}/${dataSourceId}/${input.clientToken}` : undefined;
    const earlier = tokenKey ? this.tokens.get(tokenKey) : undefined;
    if (earlier) {
      const job = await this.environment.repository.getIngestionJob(knowledgeBaseId, dataSourceId, earlier);
      if (job) return job;
    }
    const active = this.running.get(runKey(knowledgeBaseId, dataSourceId));
    if (active) {
      throw new OutcropError(
        'ConflictException',
        `Ingestion job ${active.job.ingestionJobId} is already running on data source ${dataSourceId}; wait for it to finish or stop it before starting another.`,
      );
    }
    const now = this.environment.now();
    const job: IngestionJobRecord = {
      knowledgeBaseId,
      dataSourceId,
      ingestionJobId: this.newId(),
      ...(input.description === undefined ? {} : { description: input.description }),
      status: 'STARTING',
      statistics: emptyIngestionStatistics(),
      failureReasons: [],
      startedAt: now,
      updatedAt: now,
    };
    await this.environment.repository.putIngestionJob(job);
    if (tokenKey) this.tokens.set(tokenKey, job.ingestionJobId);
    this.launch({ ...job, statistics: { ...job.statistics }, failureReasons: [] });
    return job;
  }

  /** GetIngestionJob. */
  async get(knowledgeBaseId: string, dataSourceId: string, ingestionJobId: string): Promise<IngestionJobRecord> {
    await this.dataSourceOf(knowledgeBaseId, dataSourceId);
    const job = await this.environment.repository.getIngestionJob(knowledgeBaseId, dataSourceId, ingestionJobId);
    if (!job) throw new OutcropError('ResourceNotFoundException', `Ingestion job ${ingestionJobId} was not found in data source ${dataSourceId} of knowledge base ${knowledgeBaseId}.`);
    return this.live(job);
  }

  /** ListIngestionJobs: filtered by status, sorted by status or start time, one page. */
  async list(
    knowledgeBaseId: string,
    dataSourceId: string,
    input: {
      filters?: { attribute: string; operator: string; values: string[] }[];
      sortBy?: { attribute: 'STATUS' | 'STARTED_AT'; order: 'ASCENDING' | 'DESCENDING' };
      maxResults?: number;
      nextToken?: string;
    } = {},
  ): Promise<{ items: IngestionJobRecord[]; nextToken?: string }> {
    await this.dataSourceOf(knowledgeBaseId, dataSourceId);
    let jobs = (await this.environment.repository.listIngestionJobs(knowledgeBaseId, dataSourceId)).map((job) => this.live(job));
    for (const filter of input.filters ?? []) {
      if (filter.attribute !== 'STATUS' || filter.operator !== 'EQ') {
        throw new OutcropError('ValidationException', `Ingestion jobs can be filtered by STATUS with EQ only; got ${filter.attribute} ${filter.operator}.`);
      }
      const wanted = new Set(filter.values);
      jobs = jobs.filter((job) => wanted.has(job.status));
    }
    const sortBy = input.sortBy ?? { attribute: 'STARTED_AT', order: 'ASCENDING' };
    const direction = sortBy.order === 'DESCENDING' ? -1 : 1;
    jobs = [...jobs].sort(
      (a, b) =>
        direction *
        (sortBy.attribute === 'STATUS' ? a.status.localeCompare(b.status) || a.startedAt.getTime() - b.startedAt.getTime() : a.startedAt.getTime() - b.startedAt.getTime()),
    );
    return pageOf(jobs, input);
  }

  /** StopIngestionJob: STOPPING now; the job stops between documents and ends STOPPED. */
  async stop(knowledgeBaseId: string, dataSourceId: string, ingestionJobId: string): Promise<IngestionJobRecord> {
    const job = await this.get(knowledgeBaseId, dataSourceId, ingestionJobId);
    if (job.status !== 'STARTING' && job.status !== 'IN_PROGRESS') {
      throw new OutcropError('ConflictException', `Ingestion job ${ingestionJobId} is ${job.status}; only a STARTING or IN_PROGRESS job can be stopped.`);
    }
    const active = this.running.get(runKey(knowledgeBaseId, dataSourceId));
    if (active && active.job.ingestionJobId === ingestionJobId) {
      active.job.status = 'STOPPING';
      active.controller.abort('stop' satisfies AbortCause);
      // through the runner's ordered writes, so its final STOPPED lands after this
      await (active.save ? active.save(active.job) : this.environment.repository.putIngestionJob({ ...active.job, updatedAt: this.environment.now() }));
      return snapshot(active.job);
    }
    // a job no process runs (left over in the store) stops at once
    const stopped: IngestionJobRecord = { ...job, status: 'STOPPED', updatedAt: this.environment.now() };
    await this.environment.repository.putIngestionJob(stopped);
    return stopped;
  }

  /** Runs again every job a crash or shutdown left unfinished; a job left STOPPING ends STOPPED. */
  async resume(): Promise<void> {
    for (const job of await this.environment.repository.listUnfinishedIngestionJobs()) {
      if (this.running.has(runKey(job.knowledgeBaseId, job.dataSourceId))) continue;
      if (job.status === 'STOPPING') {
        await this.environment.repository.putIngestionJob({ ...job, status: 'STOPPED', updatedAt: this.environment.now() });
        continue;
      }
      // documents that failed are tried again, so their count starts over
      this.launch({ ...job, statistics: { ...job.statistics, numberOfDocumentsFailed: 0 }, failureReasons: [] });
    }
  }

  /** Whether a job is running on the data source. */
  isRunning(knowledgeBaseId: string, dataSourceId: string): boolean {
    return this.running.has(runKey(knowledgeBaseId, dataSourceId));
  }

  /** Resolves when the job is no longer running in this process. */
  async whenDone(ingestionJobId: string): Promise<void> {
    for (const active of this.running.values()) if (active.job.ingestionJobId === ingestionJobId) await active.done;
  }

  /** Stops the data source's job (if any) without recording it, before the data source is deleted. */
  async cancel(knowledgeBaseId: string, dataSourceId?: string): Promise<void> {
    const matching = [...this.running.values()].filter((active) => active.job.knowledgeBaseId === knowledgeBaseId && (dataSourceId === undefined || active.job.dataSourceId === dataSourceId));
    for (const active of matching) active.controller.abort('delete' satisfies AbortCause);
    await Promise.all(matching.map((active) => active.done));
  }

  /** Shutdown: interrupts running jobs, leaving them unfinished in the store for `resume()`. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    for (const active of all) active.controller.abort('close' satisfies AbortCause);
    await Promise.all(all.map((active) => active.done));
  }

  /** The running job's progress as this process holds it (fresher than the last write), else the stored job. */
  private live(job: IngestionJobRecord): IngestionJobRecord {
    const active = this.running.get(runKey(job.knowledgeBaseId, job.dataSourceId));
    return active?.job.ingestionJobId === job.ingestionJobId && active.save ? snapshot(active.job) : job;
  }

  private launch(job: IngestionJobRecord): void {
    if (this.closed) return;
    const controller = new AbortController();
    const key = runKey(job.knowledgeBaseId, job.dataSourceId);
    const active: RunningJob = { job, controller, done: Promise.resolve() };
    this.running.set(key, active);
    active.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.execute(job, controller.signal))
      .catch((error: unknown) => this.options.onError?.(error, job))
      .finally(() => {
        if (this.running.get(key) === active) this.running.delete(key);
      });
  }

  private async execute(job: IngestionJobRecord, signal: AbortSignal): Promise<void> {
    const repository = this.environment.repository;
    const interval = this.options.progressIntervalMs ?? 1000;
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    const save = (record: IngestionJobRecord) => {
      record.updatedAt = this.environment.now();
      const copy = snapshot(record);
      writing = writing.then(() => repository.putIngestionJob(copy)).catch((error: unknown) => this.options.onError?.(error, record));
      return writing;
    };
    const active = this.running.get(runKey(job.knowledgeBaseId, job.dataSourceId));
    const progress = (record: IngestionJobRecord) => {
      if (signal.aborted || Date.now() - lastWrite < interval) return;
      lastWrite = Date.now();
      void save(record);
    };

    if (signal.aborted) {
      if (signal.reason === 'stop') await save({ ...job, status: 'STOPPED' });
      return;
    }
    const knowledgeBase = await repository.getKnowledgeBase(job.knowledgeBaseId);
    const dataSource = await repository.getDataSource(job.knowledgeBaseId, job.dataSourceId);
    if (!knowledgeBase || !dataSource) return;
    job.status = 'IN_PROGRESS';
    await save(job);
    if (active) active.save = save;
    try {
      await runIngestionJob(this.environment, { job, knowledgeBase, dataSource, signal, concurrency: this.options.concurrency ?? 2, progress });
      job.status = 'COMPLETE';
    } catch (error) {
      const cause = signal.aborted ? (signal.reason as AbortCause) : undefined;
      await writing;
      if (cause === 'close' || cause === 'delete') return;
      if (cause === 'stop') job.status = 'STOPPED';
      else {
        job.status = 'FAILED';
        job.failureReasons = [error instanceof Error ? error.message : String(error), ...job.failureReasons].map((reason) => reason.slice(0, 2048));
        this.options.onError?.(error, job);
      }
    }
    await writing;
    // a stop that arrived after the last document still ends the job STOPPED, as it was asked
    if (signal.aborted && signal.reason === 'stop') job.status = 'STOPPED';
    else if (signal.aborted) return;
    await save(job);
  }

  private async dataSourceOf(knowledgeBaseId: string, dataSourceId: string) {
    const knowledgeBase = await this.environment.repository.getKnowledgeBase(knowledgeBaseId);
    if (!knowledgeBase) throw new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} was not found.`);
    const dataSource = await this.environment.repository.getDataSource(knowledgeBaseId, dataSourceId);
    if (!dataSource) throw new OutcropError('ResourceNotFoundException', `Data source ${dataSourceId} was not found in knowledge base ${knowledgeBaseId}.`);
    return { knowledgeBase, dataSource };
  }
}

function snapshot(job: IngestionJobRecord): IngestionJobRecord {
  return { ...job, statistics: { ...job.statistics }, failureReasons: [...job.failureReasons] };
}

function runKey(knowledgeBaseId: string, dataSourceId: string): string {
  return `${knowledgeBaseId}/${dataSourceId}`;
}
