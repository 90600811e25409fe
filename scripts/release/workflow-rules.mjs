// The rules this repo holds its GitHub workflows to, beyond what the schema validator checks:
// explicit, minimal permissions (at the top, and per job), an OIDC token only for a job that
// publishes, and every action pinned to an exact release. Each rule returns the problems it
// finds as sentences; an empty list means the workflow keeps the rules.

const scopes = ["actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues", "models", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses"];

/** A step that publishes: the changesets action with a `publish` command, or a run of a publish command (not a dry run). */
export function publishes(step) {
  if (String(step.uses ?? "").startsWith("changesets/action@")) return typeof step.with?.publish === "string" && step.with.publish.trim() !== "";
  const command = String(step.run ?? "");
  return /\b(jsr-publish\.mjs|deno publish|npm publish|pnpm publish|changeset publish|pnpm release)\b/.test(command) && !/--dry-run\b/.test(command);
}

/** Problems with `workflow` (a parsed workflow file), named `file` in the messages. */
export function workflowProblems(workflow, file) {
  const problems = [];
  const top = workflow.permissions;
  if (top === undefined) problems.push(`${file}: no top-level permissions (the default token would get the repository's default scopes)`);
  else problems.push(...permissionProblems(top, `${file}: top-level permissions`, { writeAllowed: false }));
  if (workflow.on !== null && typeof workflow.on === "object" && "pull_request_target" in workflow.on) {
    problems.push(`${file}: runs on pull_request_target (a fork's code with this repository's secrets)`);
  }
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    const where = `${file}: job ${id}`;
    const steps = job.steps ?? [];
    if (job.permissions === undefined) problems.push(`${where} declares no permissions of its own`);
    else problems.push(...permissionProblems(job.permissions, `${where} permissions`, { writeAllowed: true }));
    const idToken = job.permissions?.["id-token"] === "write";
    const publishing = steps.some(publishes);
    if (idToken && !publishing) problems.push(`${where} has id-token: write but no step that publishes`);
    if (publishing && !idToken) problems.push(`${where} publishes without id-token: write (no OIDC for npm provenance or JSR)`);
    for (const [index, step] of steps.entries()) {
      if (step.uses === undefined) continue;
      const problem = pinProblem(String(step.uses));
      if (problem !== undefined) problems.push(`${where}, step ${step.name ?? step.id ?? index + 1}: ${problem}`);
    }
  }
  return problems;
}

function permissionProblems(permissions, where, { writeAllowed }) {
  if (typeof permissions === "string") return [`${where} are "${permissions}": name each scope`];
  if (permissions === null || typeof permissions !== "object") return [`${where} are not a map of scopes`];
  const problems = [];
  for (const [scope, access] of Object.entries(permissions)) {
    if (!scopes.includes(scope)) problems.push(`${where}: unknown scope ${scope}`);
    else if (!["read", "write", "none"].includes(access)) problems.push(`${where}: ${scope} is "${access}"`);
    else if (access === "write" && !writeAllowed) problems.push(`${where}: ${scope}: write belongs on the job that needs it`);
  }
  return problems;
}

/** Why `uses` is not pinned to an exact release (vX.Y.Z or a full commit SHA), or undefined. */
export function pinProblem(uses) {
  if (uses.startsWith("./")) return undefined; // an action in this repository
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : `${uses} is not pinned to an image digest`;
  const at = uses.lastIndexOf("@");
  if (at < 0) return `${uses} names no version`;
  const ref = uses.slice(at + 1);
  if (/^v\d+\.\d+\.\d+$/.test(ref) || /^[0-9a-f]{40}$/.test(ref)) return undefined;
  return `${uses} is pinned to "${ref}", which can move: use an exact release (vX.Y.Z) or a commit SHA`;
}
