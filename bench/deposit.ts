import { bundleFactory, type BundlePatient } from './bundle.ts';
import { httpClient, runClients, type LoadPlan, type LoadResult } from './load.ts';

export interface DepositRun {
  readonly result: LoadResult;
  readonly failures: number;
  /** Status and start of the body of the first failure, to say why. */
  readonly firstFailure: string | undefined;
}

export interface DepositTarget {
  readonly origin: string;
  readonly token: string;
  readonly patients: readonly BundlePatient[];
  readonly pdf: Buffer;
}

/** Posts one ITI-65 bundle (one PDF) to `/fhir`; the answer must be a 2xx transaction-response. */
export function depositor(target: DepositTarget, sockets: number) {
  const client = httpClient(target.origin, sockets);
  const makeBundle = bundleFactory(target.pdf);
  const headers = {
    authorization: `Bearer ${target.token}`,
    'content-type': 'application/fhir+json',
    accept: 'application/fhir+json',
  };
  let failures = 0;
  let firstFailure: string | undefined;
  /** Undefined when stored, else why not (status and the start of the OperationOutcome). */
  const deposit = async (patient: BundlePatient): Promise<string | undefined> => {
    const answer = await client.post('/fhir', headers, makeBundle(patient));
    if (answer.status >= 200 && answer.status < 300) return undefined;
    return `HTTP ${answer.status}: ${answer.body.slice(0, 400)}`;
  };
  return {
    deposit,
    /** Deposits spread round-robin over the patients, `plan.concurrency` clients at a time. */
    run: async (plan: LoadPlan): Promise<DepositRun> => {
      failures = 0;
      firstFailure = undefined;
      const result = await runClients(plan, async (i) => {
        const failure = await deposit(target.patients[i % target.patients.length]!);
        if (failure === undefined) return;
        failures++;
        firstFailure ??= failure;
      });
      return { result, failures, firstFailure };
    },
    close: () => client.close(),
  };
}
