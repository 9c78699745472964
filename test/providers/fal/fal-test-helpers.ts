import type { GenerationRequestInput } from "../../../src/domain/generation-request.ts";
import {
  createFalProvider,
  type FalProvider,
  type FalProviderOptions,
  falCatalog,
} from "../../../src/providers/fal/index.ts";
import type { SubmitInput } from "../../../src/providers/generation-provider.ts";
import { type FakeFalServer, startFakeFalServer } from "../../fakes/fake-fal-server.ts";
import {
  type PolledUnderTest,
  polledAgainstFake,
  polledSubmitInput,
} from "../polled-provider-under-test.ts";

export function falSubmitInput(input: Partial<GenerationRequestInput> = {}): SubmitInput {
  return polledSubmitInput(falCatalog, { jobPrefix: "fal-job", prompt: "a kite" }, input);
}

export type FalUnderTest = PolledUnderTest<FakeFalServer, FalProvider>;

export async function falAgainstFake(
  options: { provider?: Partial<FalProviderOptions>; start?: boolean } = {},
): Promise<FalUnderTest> {
  const fake = await startFakeFalServer();
  return polledAgainstFake(
    fake,
    (shared) =>
      createFalProvider({
        apiKey: fake.apiKey,
        queueUrl: fake.baseUrl,
        ...shared,
        ...options.provider,
      }),
    { headersTimeout: 500, start: options.start },
  );
}
