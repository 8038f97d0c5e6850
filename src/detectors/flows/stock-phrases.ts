/**
 * Boilerplate every mailbox, ticket and chat repeats (issue 9: "very common fingerprints are
 * suppressed"): closings, confidentiality and unsubscribe footers, auto-replies. Their prose
 * fingerprints, computed once per key, never count towards a flow, so a reply that quotes a private
 * mail's sign-off is not a copy of the mail. Values are kept out of this list on purpose: a shared
 * e-mail address or id is suppressed only by being read from many upstreams (flow-judge.ts).
 */
import { allShingleFingerprints, type ProseSeeds } from './prose-shingles.js';

export const STOCK_PHRASES: readonly string[] = [
  'please let me know if you have any questions or need anything else from me',
  'please do not hesitate to contact me if you have any questions',
  'let me know if you have any questions',
  'thanks in advance for your help and have a great weekend',
  'thank you for your time and consideration',
  'looking forward to hearing from you',
  'i hope this email finds you well',
  'this message and any attachments are confidential and intended only for the addressee',
  'this email and any files transmitted with it are confidential and intended solely for the use of the individual or entity to whom they are addressed',
  'if you have received this email in error please notify the sender immediately and delete it from your system',
  'if you are not the intended recipient you are notified that disclosing copying distributing or taking any action in reliance on the contents of this information is strictly prohibited',
  'please consider the environment before printing this email',
  'you are receiving this email because you signed up for updates',
  'to unsubscribe from these emails click here',
  'if you no longer wish to receive these emails you can unsubscribe at any time',
  'this is an automatically generated message please do not reply',
  'i am currently out of the office with limited access to email and will respond as soon as possible upon my return',
  'sent from my iphone',
  'all rights reserved',
  'terms and conditions apply',
  'by using this service you agree to our terms of service and privacy policy',
  'the information contained in this message is privileged and confidential',
];

/**
 * Prose fingerprints of the stock phrases under one key: every shingle of each, since a phrase inside a
 * longer text may keep, by winnowing, a shingle that the phrase on its own does not.
 */
export function stockFingerprints(seeds: ProseSeeds): ReadonlySet<string> {
  return new Set(STOCK_PHRASES.flatMap((p) => allShingleFingerprints(p, seeds)));
}
