import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    postgresUrl: string;
    templateDatabase: string;
    workflowBundlePath: string;
  }
}
