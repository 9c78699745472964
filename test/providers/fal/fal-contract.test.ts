import { providerContract } from "../../contracts/provider.contract.ts";
import { falAgainstFake } from "./fal-test-helpers.ts";

providerContract("fal", async () => {
  const subject = await falAgainstFake({ start: false });
  return {
    provider: subject.provider,
    prompt: (outcome) => `a contract ${outcome}`,
    async finish(providerJobId, outcome) {
      if (outcome === "success") await subject.fake.complete(providerJobId);
      else
        await subject.fake.fail(providerJobId, "Generation failed on the runner", { status: 500 });
    },
    unknownProviderJobId: "00000000-0000-4000-8000-000000000000",
    close: () => subject.close(),
  };
});
