import { createSilentLogger } from "../../../src/logger.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { providerContract } from "../../contracts/provider.contract.ts";
import { startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";

providerContract("oxen", async () => {
  const fake = await startFakeOxenServer();
  return {
    provider: createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
      // The contract moves fake time in 1 s steps; the stream's watchdog must not trip meanwhile.
      sseIdleTimeoutMs: 3_600_000,
    }),
    prompt: (outcome) => `a contract ${outcome}`,
    async finish(providerJobId, outcome) {
      if (outcome === "success") fake.complete(providerJobId);
      else fake.fail(providerJobId, "The content filter blocked the request");
    },
    unknownProviderJobId: "00000000-0000-0000-0000-000000000000",
    close: () => fake.close(),
  };
});
