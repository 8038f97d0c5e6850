/**
 * Port: a classifier of text — the remote LLM judge or a local scorer. The only asynchronous, remote
 * dependency a detector may have; the detector that uses it runs fail-open under a timeout, and passes
 * the pipeline's `AbortSignal` on so a timed-out call is cancelled, not left running.
 */

export interface ClassifierInput {
  /** Which surface the text was found on, e.g. `tool_description`, `tool_result`, `arguments`. */
  surface: string;
  text: string;
  upstream: string;
  tool?: string;
}

export interface ClassifierResult {
  label: 'benign' | 'suspicious' | 'malicious';
  /** 0..1, how sure the classifier is of `label`. */
  score: number;
  /** What kind of harm, when not benign: `injection`, `harmful_capability`, `malicious_code`, `exfiltration`. */
  category?: string;
  reason?: string;
}

export interface Classifier {
  classify(input: ClassifierInput, signal: AbortSignal): Promise<ClassifierResult>;
}
