import { providerContract } from "../../contracts/provider.contract.ts";
import { byteplusAgainstFake } from "./byteplus-test-helpers.ts";

providerContract("byteplus", async () => {
  const subject = await byteplusAgainstFake({ start: false });
  return {
    provider: subject.provider,
    prompt: (outcome) => `a contract ${outcome}`,
    async finish(providerJobId, outcome) {
      if (outcome === "success") await subject.fake.complete(providerJobId);
      else await subject.fake.fail(providerJobId, "InternalServiceError", "The service failed");
    },
    unknownProviderJobId: "cgt-20260101000000-missing",
    close: () => subject.close(),
  };
});
