import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import { coordinationContract } from "../contracts/coordination.contract.ts";

coordinationContract("memory coordination", async (now) => ({
  store: createMemoryCoordination({ now }),
}));
