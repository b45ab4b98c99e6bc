// The install half of a plan (plans/sync-plan.ts) as `sync --dry-run` and
// `install --dry-run` print it: one `install REQ  # why (where)` line per
// listed requirement not satisfied, or one line for pip's whole install when
// something deeper asks for it; and the same as JSON.
import type { InstallPlan } from "../plans/sync-plan.js";

const REASONS = { missing: "not installed", version: "", extra: "an extra is not provided", pip: "pip resolves it" } as const;

/** The plan's lines; `inputs` names what pip's install would be given (`-r a.txt -r b.txt`, `requests -r r.txt`). */
export function installPlanLines(plan: InstallPlan, inputs: string): string[] {
  const lines = plan.steps.map((s) => `install ${s.requirement}  # ${s.reason === "version" ? `${s.installed} installed` : REASONS[s.reason]} (${s.where})`);
  if (plan.needed && !plan.steps.length) lines.push(`install ${inputs}  # ${plan.why}`);
  return lines;
}

/** The plan's `install` and `pip_install` members, as `sync --dry-run --json` writes them. */
export function installPlanJson(plan: InstallPlan): { install: unknown[]; pip_install: string | null } {
  return {
    install: plan.steps.map((s) => ({ requirement: s.requirement, reason: s.reason, installed: s.installed ?? null, where: s.where })),
    pip_install: plan.needed ? (plan.why ?? null) : null,
  };
}
