import { createSilentLogger } from "../../../src/logger.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import { providerContract } from "../../contracts/provider.contract.ts";

providerContract("simulator", async () => ({
  provider: createSimulatorProvider({
    delayMs: 2_000,
    ffmpegPath: null,
    logger: createSilentLogger(),
  }),
  // The simulator decides at submit: `[fail]` in the prompt makes the job fail.
  prompt: (outcome) => (outcome === "failure" ? "a contract [fail]" : "a contract success"),
  finish: async () => {},
  unknownProviderJobId: "sim-00000000-0000-0000-0000-000000000000",
  close: async () => {},
}));
