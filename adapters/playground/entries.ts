import type { MediaKind } from "../../commands/incoming-media.ts";

/** What the page shows in a thread; each entry is pushed again, whole, whenever it changes. */
export type Entry = MessageEntry | CardEntry | NoticeEntry | JobsEntry;

interface EntryBase {
  id: string;
  threadId: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface AttachmentView {
  fileName: string;
  contentType: string;
  kind: MediaKind;
  previewUrl: string;
  /** On a card: the input's role, as the prompt names it ("start frame", "@Image1", "@Audio2"). */
  label?: string;
}

/** Something the local user sent. */
export interface MessageEntry extends EntryBase {
  kind: "message";
  text: string;
  attachments: AttachmentView[];
  replyToJobId?: string;
}

/** What the user sees of a job's state, from "queued" to "done". */
export type CardPhase = "queued" | "running" | "finishing" | "done" | "failed" | "cancelled";

/** A job's status card; the finished video plays inside it. */
export interface CardEntry extends EntryBase {
  kind: "card";
  jobId: string;
  /** The job's version, so an older snapshot never overwrites a newer one. */
  version: number;
  state: string;
  phase: CardPhase;
  pending: boolean;
  progress?: number;
  /** While waiting behind the user's other jobs: 1 for the next to start. */
  queuePosition?: number;
  prompt: string;
  mode: string;
  /** "Take 2 of 3", for one of several takes of one request (`--takes`). */
  take?: string;
  /** "4 s · 16:9 · 720p · seed 42" */
  details: string;
  simulated: boolean;
  inputs: AttachmentView[];
  /** Prefill for Remix: the prompt with its flags. */
  remixText: string;
  reactions: string[];
  error?: string;
  parentJobId?: string;
  /** Extend: the clip this one continues (it may be stitched). */
  extendsJobId?: string;
  /** A stitched video: the clips it joins. */
  stitchOf?: string[];
  /** Upscale: the resolution its button makes (the model's highest), when the job is below it. */
  upscaleTo?: string;
  videoUrl?: string;
  /** The poster frame (JPEG) the player shows before the video plays. */
  posterUrl?: string;
  replyTo?: string;
}

/** The bot's answer that is not a job: an error (shown inline) or a confirmation. */
export interface NoticeEntry extends EntryBase {
  kind: "error" | "notice";
  text: string;
  replyTo?: string;
}

/** The answer to /jobs. */
export interface JobsEntry extends EntryBase {
  kind: "jobs";
  jobs: Array<{ jobId: string; phase: CardPhase; prompt: string; threadId: string; at: number }>;
  replyTo?: string;
}
