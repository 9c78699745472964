import { providerContract } from "../../contracts/provider.contract.ts";
import { dialects, providerAgainstFake } from "./unified-task-test-helpers.ts";

for (const dialect of dialects) {
  providerContract(dialect, async () => {
    const subject = await providerAgainstFake(dialect, { start: false });
    return {
      provider: subject.provider,
      prompt: (outcome) => `a contract ${outcome}`,
      async finish(providerJobId, outcome) {
        if (outcome === "success") await subject.fake.complete(providerJobId);
        else await subject.fake.fail(providerJobId, "content_policy_violation", "Blocked");
      },
      unknownProviderJobId: "task-unified-1-missing0",
      close: () => subject.close(),
    };
  });
}
