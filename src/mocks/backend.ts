import type * as pulumi from "@pulumi/pulumi";

/** What a mocked resource resolves to: its physical id and the state (outputs) the provider would return. */
export interface MockedResource {
  readonly id: string;
  readonly state: Record<string, unknown>;
}

/**
 * Stands in for the cloud while the program runs under `pulumi.runtime.setMocks`. The offline backend
 * invents deterministic ids; the tenant emulator's backend records the resources in an emulated directory so the
 * real program can be checked end to end. A backend may return `undefined` to let the offline backend answer.
 */
export interface MockBackend {
  newResource(args: pulumi.runtime.MockResourceArgs): MockedResource | undefined | Promise<MockedResource | undefined>;
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
}
