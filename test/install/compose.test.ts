import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { environmentSchema, parseEnvironment } from "../../src/config.ts";
import { parseDockerfile } from "./dockerfile.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

const serviceSchema = z.object({
  build: z.unknown().optional(),
  image: z.string().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.unknown().optional(),
  ports: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  configs: z.array(z.object({ source: z.string(), target: z.string() })).optional(),
});
const composeSchema = z.object({
  services: z.record(z.string(), serviceSchema),
  configs: z.record(z.string(), z.object({ content: z.string() })).optional(),
  volumes: z.record(z.string(), z.unknown()),
});

const compose = composeSchema.parse(parse(read("docker-compose.yml"), { merge: true }));
const [, runtime] = parseDockerfile(read("Dockerfile"));
const bots = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
/** `${NAME:?…}` and `${NAME:-default}` as compose fills them in from the operator's shell. */
const interpolated = (value: string, shell: Record<string, string>) =>
  value.replace(
    /\$\{(\w+)(?::[-?]([^}]*))?\}/g,
    (_match, name: string, fallback = "") => shell[name] ?? fallback,
  );

it("runs two or more bot replicas built from the Dockerfile on the compose file's PostgreSQL", () => {
  expect(bots.length).toBeGreaterThanOrEqual(2);
  const postgres = compose.services.postgres?.environment ?? {};
  for (const [name, bot] of bots) {
    const url = new URL(bot.environment?.DATABASE_URL ?? "");
    expect(url.hostname, name).toBe("postgres");
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(postgres.POSTGRES_DB);
    expect(bot.depends_on).toMatchObject({ postgres: { condition: "service_healthy" } });
  }
});

it("gives each replica its own name and its own DATA_DIR volume, where the Dockerfile puts DATA_DIR", () => {
  const dataDirectory = runtime?.environment.DATA_DIR;
  expect(dataDirectory).toBe("/data");
  const ids = bots.map(([, bot]) => bot.environment?.INSTANCE_ID);
  expect(new Set(ids).size).toBe(bots.length);
  const volumes = bots.map(([, bot]) => {
    const [volume, target] =
      (bot.volumes ?? []).find((each) => each.endsWith(`:${dataDirectory}`))?.split(":") ?? [];
    expect(target).toBe(dataDirectory);
    expect(compose.volumes).toHaveProperty(volume ?? "");
    return volume;
  });
  expect(new Set(volumes).size).toBe(bots.length);
});

it("sets only variables the bot reads, and they load as a valid configuration", () => {
  const known = new Set(Object.keys(environmentSchema.shape));
  const shell = { OXEN_API_KEY: "oxen-key", PLAYGROUND_TOKEN: "a-playground-token-of-some-length" };
  for (const [name, bot] of bots) {
    const environment = Object.fromEntries(
      Object.entries(bot.environment ?? {}).map(([key, value]) => [
        key,
        interpolated(value, shell),
      ]),
    );
    for (const key of Object.keys(environment))
      expect(known.has(key), `${name}: ${key}`).toBe(true);
    const config = parseEnvironment({ ...runtime?.environment, ...environment });
    expect(config.database?.poolSize).toBe(10);
    expect(config.http.port).toBe(Number(runtime?.environment.PORT));
  }
});

it("has a round-robin proxy that names every replica on the Dockerfile's PORT, and room in max_connections", () => {
  const proxy = compose.services.proxy;
  const config = compose.configs?.[proxy?.configs?.[0]?.source ?? ""]?.content ?? "";
  const upstreams = [...config.matchAll(/server\s+([\w-]+):(\d+);/g)].map((match) =>
    match.slice(1),
  );
  expect(upstreams).toEqual(bots.map(([name]) => [name, runtime?.environment.PORT]));
  const command = compose.services.postgres?.command?.join(" ") ?? "";
  const maxConnections = Number(/max_connections=(\d+)/.exec(command)?.[1]);
  const pools = bots.reduce((sum, [, bot]) => sum + Number(bot.environment?.DATABASE_POOL_SIZE), 0);
  expect(maxConnections).toBeGreaterThan(pools);
});
