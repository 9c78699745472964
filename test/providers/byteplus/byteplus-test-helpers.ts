import type { GenerationRequestInput } from "../../../src/domain/generation-request.ts";
import {
  type BytePlusProvider,
  type BytePlusProviderOptions,
  byteplusCatalog,
  createBytePlusProvider,
} from "../../../src/providers/byteplus/index.ts";
import type { SubmitInput } from "../../../src/providers/generation-provider.ts";
import {
  type FakeBytePlusServer,
  startFakeBytePlusServer,
} from "../../fakes/fake-byteplus-server.ts";
import {
  type PolledUnderTest,
  polledAgainstFake,
  polledSubmitInput,
} from "../polled-provider-under-test.ts";

export function arkSubmitInput(input: Partial<GenerationRequestInput> = {}): SubmitInput {
  return polledSubmitInput(byteplusCatalog, { jobPrefix: "ark-job", prompt: "a kite" }, input);
}

export type BytePlusUnderTest = PolledUnderTest<FakeBytePlusServer, BytePlusProvider>;

export async function byteplusAgainstFake(
  options: { provider?: Partial<BytePlusProviderOptions>; start?: boolean } = {},
): Promise<BytePlusUnderTest> {
  const fake = await startFakeBytePlusServer();
  return polledAgainstFake(
    fake,
    (shared) =>
      createBytePlusProvider({
        apiKey: fake.apiKey,
        baseUrl: fake.baseUrl,
        ...shared,
        ...options.provider,
      }),
    { headersTimeout: 500, start: options.start },
  );
}
