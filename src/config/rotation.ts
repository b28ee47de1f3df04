/**
 * The rotation counters (`clientSecretRotation`, `certificateRotation`): a generation number, where people often
 * write a switch (`auto`), a schedule (`monthly`) or a lifetime (`90d`). Those get the counter explained, not only
 * "must be a whole number".
 */
import { wrongConcept } from "./concepts";
import { integer, type IssueList, type RawConfig } from "./values";

export function rotationCounter(raw: RawConfig, key: "clientSecretRotation" | "certificateRotation", issues: IssueList): number | undefined {
  const value = raw[key];
  const concept = value === undefined || /^\s*-?\d+\s*$/.test(value) ? undefined : wrongConcept(key, value);
  if (concept) return issues.add(key, value, `must be a whole number, 0 or more. ${concept.why}`);
  return integer(raw, key, issues, 0, Number.MAX_SAFE_INTEGER, "start at 0 and add 1 to rotate");
}
