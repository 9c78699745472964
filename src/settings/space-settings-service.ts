import { UserFacingError } from "../errors.ts";
import { checkSpaceSettings } from "./check-space-settings.ts";
import { type OperatorCeilings, type SpaceLimits, spaceLimits } from "./space-limits.ts";
import {
  type SettingsChangeAuthor,
  type SettingsChangeRecord,
  type SpaceKey,
  type SpaceSettings,
  type SpaceSettingsStore,
  spaceSettingFields,
} from "./space-settings.ts";

/** A change from `/settings`: a value sets the field, null returns it to the operator's. */
export type SpaceSettingsPatch = { [Field in keyof SpaceSettings]?: SpaceSettings[Field] | null };

/** What `/settings` shows: the space's own values, the limits in force, the operator's, and the last changes. */
export interface SpaceSettingsView {
  settings: SpaceSettings;
  version: number;
  limits: SpaceLimits;
  ceilings: OperatorCeilings;
  history: SettingsChangeRecord[];
}

export interface SettingsEditor extends SettingsChangeAuthor {
  /** Decided by the platform (Manage Server, workspace admin or owner). */
  isAdmin: boolean;
}

const shownChanges = 5;
/** Saves retried when another admin's change came first (the patch is applied to theirs). */
const saveAttempts = 3;

export function applyPatch(settings: SpaceSettings, patch: SpaceSettingsPatch): SpaceSettings {
  const next: Record<string, unknown> = { ...settings };
  for (const field of spaceSettingFields) {
    if (!(field in patch) || patch[field] === undefined) continue;
    next[field] = patch[field] === null ? undefined : patch[field];
  }
  return next as SpaceSettings;
}

/** Settings per space as the service reads and changes them, within the operator's ceilings. */
export class SpaceSettingsAccess {
  readonly #store: SpaceSettingsStore;
  readonly #ceilings: OperatorCeilings;
  readonly #now: () => number;

  constructor(store: SpaceSettingsStore, ceilings: OperatorCeilings, now: () => number) {
    this.#store = store;
    this.#ceilings = ceilings;
    this.#now = now;
  }

  get ceilings(): OperatorCeilings {
    return this.#ceilings;
  }

  /** The space's settings and the limits they make (the operator's alone outside a space). */
  async forOrigin(origin: {
    platform: string;
    spaceId?: string | undefined;
  }): Promise<{ settings: SpaceSettings; limits: SpaceLimits }> {
    const settings =
      origin.spaceId === undefined
        ? {}
        : (await this.#store.get({ platform: origin.platform, spaceId: origin.spaceId })).settings;
    return { settings, limits: spaceLimits(this.#ceilings, settings) };
  }

  async view(space: SpaceKey): Promise<SpaceSettingsView> {
    const stored = await this.#store.get(space);
    return {
      ...stored,
      limits: spaceLimits(this.#ceilings, stored.settings),
      ceilings: this.#ceilings,
      history: await this.#store.history(space, shownChanges),
    };
  }

  async update(
    space: SpaceKey,
    patch: SpaceSettingsPatch,
    by: SettingsEditor,
  ): Promise<SpaceSettingsView> {
    if (!by.isAdmin) {
      throw new UserFacingError(
        "Only the server's admins can change its settings; /settings shows them.",
        { field: "settings" },
      );
    }
    for (let attempt = 1; attempt <= saveAttempts; attempt++) {
      const stored = await this.#store.get(space);
      const settings = applyPatch(stored.settings, patch);
      checkSpaceSettings(settings, this.#ceilings);
      const author = { userId: by.userId, ...(by.userName ? { userName: by.userName } : {}) };
      const saved = await this.#store.update(space, {
        expectedVersion: stored.version,
        settings,
        by: author,
        at: this.#now(),
      });
      if (saved) return await this.view(space);
    }
    throw new UserFacingError(
      "Another admin changed the settings at the same moment; run /settings to see them, then try again.",
      { field: "settings", retryable: true },
    );
  }
}
