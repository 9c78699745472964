import { createHash } from "node:crypto";
import pg from "pg";

/** Runs one statement; on a transaction's connection inside `transaction`, else on any pooled one. */
export type Query = <Row extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values?: readonly unknown[],
) => Promise<pg.QueryResult<Row>>;

/** A connection pool shared by the PostgreSQL stores of one process, which knows whether the server answers. */
export interface PostgresDatabase {
  query: Query;
  /**
   * Runs `work` in one transaction on one connection and commits it, or rolls back if `work` throws.
   * `begin` replaces the plain BEGIN, for example to take advisory locks in the same round trip.
   */
  transaction<T>(work: (query: Query) => Promise<T>, begin?: string): Promise<T>;
  /** Runs `work` on one connection outside a transaction (session-level locks). */
  session<T>(work: (query: Query) => Promise<T>): Promise<T>;
  /** False after a connection failed, until a statement succeeds again. */
  isHealthy(): boolean;
  end(): Promise<void>;
}

export interface PostgresDatabaseOptions {
  /** postgres://user:password@host:port/database; never logged. */
  url: string;
  /** Connections at most. */
  poolSize: number;
  /** How long to wait for a connection before a statement fails (ms). */
  connectTimeoutMs?: number;
}

/** A statement's error that means the connection, not the statement, failed: no SQLSTATE, or one of those. */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? "";
  return code.startsWith("08") || code.startsWith("57P") || code === "53300";
}

/** A stable 64-bit advisory lock key for a name, as SQL text (a signed integer literal). */
export function advisoryLockKey(name: string): string {
  return createHash("sha256").update(name).digest().readBigInt64BE(0).toString();
}

export function openPostgresDatabase(options: PostgresDatabaseOptions): PostgresDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    application_name: "seedance-bot",
    keepAlive: true,
  });
  let healthy = true;
  // An idle connection the server dropped (a restart): the pool replaces it; meanwhile say so.
  pool.on("error", () => {
    healthy = false;
  });

  /** Runs a statement, noting whether the server answered; `lost` hears of a failed connection. */
  async function observed<T>(statement: () => Promise<T>, lost?: () => void): Promise<T> {
    try {
      const result = await statement();
      healthy = true;
      return result;
    } catch (error) {
      if (isConnectionFailure(error)) {
        healthy = false;
        lost?.();
      }
      throw error;
    }
  }

  /** One pooled connection for `work`; closed rather than reused if it failed. */
  async function withClient<T>(work: (query: Query, rollback: () => Promise<void>) => Promise<T>) {
    const client = await observed(() => pool.connect());
    let broken = false;
    const query: Query = (text, values) =>
      observed(
        () => client.query(text, values as unknown[] | undefined),
        () => {
          broken = true;
        },
      );
    try {
      return await work(query, async () => {
        if (!broken) await query("ROLLBACK");
      });
    } finally {
      client.release(broken);
    }
  }

  return {
    query: (text, values) => observed(() => pool.query(text, values as unknown[] | undefined)),

    transaction(work, begin = "BEGIN") {
      return withClient(async (query, rollback) => {
        await query(begin);
        try {
          const result = await work(query);
          await query("COMMIT");
          return result;
        } catch (error) {
          await rollback();
          throw error;
        }
      });
    },

    session(work) {
      return withClient((query) => work(query));
    },

    isHealthy() {
      return healthy;
    },

    async end() {
      await pool.end();
    },
  };
}
