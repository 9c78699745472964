import { z } from "zod";
import { aspectRatios, resolutions } from "../domain/generation-request.ts";

/**
 * What one space (Discord server, Slack workspace) sets for itself. Every field is optional: absent,
 * the operator's environment applies. Caps and budgets may only tighten the operator's ceilings.
 */
export const spaceSettingsSchema = z.object({
  defaultDuration: z.number().int().optional(),
  defaultResolution: z.enum(resolutions).optional(),
  defaultAspectRatio: z.enum(aspectRatios).optional(),
  /** Whether a video that says nothing about sound gets some. */
  defaultAudio: z.boolean().optional(),
  maxDuration: z.number().int().optional(),
  maxResolution: z.enum(resolutions).optional(),
  /** The most takes (`--takes N`) one request may ask for here. */
  maxTakes: z.number().int().optional(),
  /** Seconds of video one user may generate per UTC day. */
  dailySecondsPerUser: z.number().int().optional(),
  /** Seconds of video the whole space may generate per UTC day. */
  dailySecondsPerSpace: z.number().int().optional(),
  /** Channel ids where generation is allowed; absent or empty: every channel. */
  allowedChannels: z.array(z.string().min(1)).optional(),
});
export type SpaceSettings = z.infer<typeof spaceSettingsSchema>;
export type SpaceSettingField = keyof SpaceSettings;
export const spaceSettingFields = Object.keys(spaceSettingsSchema.shape) as SpaceSettingField[];

/** Which space: settings never cross platforms. */
export interface SpaceKey {
  platform: string;
  spaceId: string;
}

export interface StoredSpaceSettings {
  settings: SpaceSettings;
  /** 0 before the first change; greater after each one (compare-and-set). */
  version: number;
}

export interface SettingsChangeAuthor {
  userId: string;
  userName?: string | undefined;
}

/** One field's change: undefined on a side means "not set" (the operator's value). */
export interface FieldChange {
  field: SpaceSettingField;
  from: unknown;
  to: unknown;
}

/** One recorded change: who, when, which version it made, old → new per field. */
export interface SettingsChangeRecord {
  version: number;
  changedAt: number;
  changedBy: SettingsChangeAuthor;
  changes: FieldChange[];
}

export interface SettingsUpdate {
  /** The version the change was based on, as `get` returned it; another write in between wins. */
  expectedVersion: number;
  settings: SpaceSettings;
  by: SettingsChangeAuthor;
  at: number;
}

/**
 * Per-space settings behind one narrow port: read, compare-and-set with its audit record in the
 * same write, and the audit list.
 */
export interface SpaceSettingsStore {
  get(space: SpaceKey): Promise<StoredSpaceSettings>;
  /**
   * Replaces the space's settings if they are still at `expectedVersion`, recording who changed what;
   * undefined when another change came first (nothing is written). A change that changes nothing
   * writes nothing and returns the settings as they are.
   */
  update(space: SpaceKey, update: SettingsUpdate): Promise<StoredSpaceSettings | undefined>;
  /** The space's most recent changes, newest first. */
  history(space: SpaceKey, limit: number): Promise<SettingsChangeRecord[]>;
  close(): Promise<void>;
}

export const noSpaceSettings: StoredSpaceSettings = { settings: {}, version: 0 };

/** Field by field, what differs between two settings (arrays compared by their contents). */
export function settingsChanges(from: SpaceSettings, to: SpaceSettings): FieldChange[] {
  const same = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right);
  return spaceSettingFields
    .filter((field) => !same(from[field], to[field]))
    .map((field) => ({ field, from: from[field], to: to[field] }));
}

/** Settings without the fields left unset, as stored. */
export function compactSettings(settings: SpaceSettings): SpaceSettings {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as SpaceSettings;
}

const changeSchema = z.array(
  z.object({
    field: z.enum(spaceSettingFields),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  }),
);

/** Reads stored JSON back through the schema, so a bad row never reaches the service unchecked. */
export function parseStoredSettings(json: string): SpaceSettings {
  return spaceSettingsSchema.parse(JSON.parse(json));
}

export function parseStoredChanges(json: string): FieldChange[] {
  return changeSchema.parse(JSON.parse(json)) as FieldChange[];
}

export function closedSettingsError(): Error {
  return new Error("The space settings store is closed.");
}
