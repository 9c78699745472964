import { describe, expect, it } from "vitest";
import { followUpOrigin, type JobOrigin } from "../../src/jobs/job.ts";

const place = { platform: "discord", spaceId: "1", channelId: "2", threadId: "3" };
const bob = { userId: "20", userName: "bob" };

describe("followUpOrigin: a follow-up job's place, requester and asker", () => {
  it("a reaction's message replaces the parent's interaction, so the new card is not the parent's response", () => {
    const parent: JobOrigin = { ...place, interactionId: "900", userId: "10", userName: "alice" };
    expect(followUpOrigin(parent, bob, { messageId: "901", userId: "20" })).toEqual({
      ...place,
      messageId: "901",
      userId: "20",
      userName: "bob",
    });
  });

  it("a button's interaction replaces the parent's message", () => {
    const parent: JobOrigin = { ...place, messageId: "800", userId: "10" };
    expect(followUpOrigin(parent, bob, { interactionId: "902" })).toEqual({
      ...place,
      interactionId: "902",
      userId: "20",
      userName: "bob",
    });
  });

  it("without a new asker, the parent's message stays what the new job answers", () => {
    const parent: JobOrigin = { ...place, messageId: "800", userId: "10", private: true };
    expect(followUpOrigin(parent, { userId: "20" })).toEqual({
      ...place,
      messageId: "800",
      userId: "20",
      private: true,
    });
  });
});
