import type { GenerationMode } from "../../domain/generation-request.ts";
import type { ModelLimits } from "../../domain/model-limits.ts";
import { declaredOnlySometimes } from "./oxen-request-body.ts";
import type { JsonSchemaProperty, OxenRequestSchema } from "./oxen-schemas.ts";

const sharedProperties = [
  "prompt",
  "resolution",
  "duration",
  "aspect_ratio",
  "generate_audio",
  "seed",
  "watermark",
];

/** The Oxen fields our request mapping can send, per mode. */
export const oxenPropertiesByMode: Readonly<Record<GenerationMode, readonly string[]>> = {
  text: sharedProperties,
  image: [
    ...sharedProperties,
    "input_image",
    "input_image_has_face",
    "tail_image_url",
    "tail_image_url_has_face",
  ],
  reference: [
    ...sharedProperties,
    "input_images",
    "input_face_images",
    "input_face_videos",
    "input_videos",
    "input_audios",
  ],
};

/** Known upstream fields we leave out on purpose. */
const deliberatelyUnused = new Set<string>();

/** Where the provider's request schema and our ModelLimits disagree, one line per difference. */
export function describeSchemaDrift(schema: OxenRequestSchema, limits: ModelLimits): string[] {
  const remote = schema.properties;
  const ours = oxenPropertiesByMode[limits.mode];
  const drift: string[] = [];
  const unknown = Object.keys(remote).filter(
    (name) => !ours.includes(name) && !deliberatelyUnused.has(name),
  );
  if (unknown.length > 0) drift.push(`properties we do not know: ${unknown.join(", ")}`);
  const missing = ours.filter((name) => !(name in remote) && !declaredOnlySometimes.has(name));
  if (missing.length > 0)
    drift.push(`properties the provider does not declare: ${missing.join(", ")}`);
  drift.push(...compareValues("resolution", remote.resolution, limits.resolutions));
  drift.push(...compareValues("aspect_ratio", remote.aspect_ratio, limits.aspectRatios));
  drift.push(...compareDuration(remote.duration, limits));
  return drift;
}

function compareValues(
  name: string,
  property: JsonSchemaProperty | undefined,
  local: readonly (string | number)[],
): string[] {
  const remote = enumValues(property);
  if (!remote) return [];
  const drift: string[] = [];
  const added = remote.filter((value) => !local.includes(value as string | number));
  const removed = local.filter((value) => !remote.includes(value));
  if (added.length > 0) drift.push(`${name}: the provider also accepts ${added.join(", ")}`);
  if (removed.length > 0) drift.push(`${name}: the provider does not accept ${removed.join(", ")}`);
  return drift;
}

function compareDuration(property: JsonSchemaProperty | undefined, limits: ModelLimits): string[] {
  if (!property) return [];
  const local: number[] = limits.autoDuration ? [-1] : [];
  for (let seconds = limits.minDuration; seconds <= limits.maxDuration; seconds++)
    local.push(seconds);
  const remote = enumValues(property);
  if (remote?.some((value) => typeof value === "string") || typesOf(property).includes("string")) {
    return ["duration: the provider expects a string; we send whole seconds"];
  }
  if (remote) return compareValues("duration", property, local);
  const { minimum = Number.NEGATIVE_INFINITY, maximum = Number.POSITIVE_INFINITY } = property;
  const outside = local.filter((value) => value < minimum || value > maximum);
  return outside.length > 0 ? [`duration: the provider does not accept ${outside.join(", ")}`] : [];
}

/** `enum`, or the consts/enums of `anyOf`/`oneOf` branches; undefined when the field is open. */
function enumValues(property: JsonSchemaProperty | undefined): unknown[] | undefined {
  if (!property) return undefined;
  if (Array.isArray(property.enum)) return property.enum;
  const branches = property.anyOf ?? property.oneOf;
  if (!Array.isArray(branches)) return undefined;
  const values = branches.flatMap((branch) =>
    "const" in branch ? [branch.const] : Array.isArray(branch.enum) ? branch.enum : [],
  );
  return values.length > 0 ? values : undefined;
}

function typesOf(property: JsonSchemaProperty): string[] {
  const own = Array.isArray(property.type) ? property.type : property.type ? [property.type] : [];
  const branches = [...(property.anyOf ?? []), ...(property.oneOf ?? [])];
  return [...own, ...branches.flatMap((branch) => typesOf(branch))];
}
