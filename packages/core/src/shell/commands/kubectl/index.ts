// kubectl against the simulated API server: the verb dispatcher and exec. The folder's way in:
// other folders import from here (the label selector parser is shared with the Cluster facade).

import { fail, ok, own, type Command, type CommandIO, type CommandResult, type ShellContext } from '../../context.js';
import { apply } from './apply.js';
import { describe } from './describe.js';
import { annotate, patch } from './edit.js';
import { versionAtLeast } from '../../../api/version.js';
import { KUBECTL_HELP, parseKubectl } from './cli.js';
import type { Flags } from './flags.js';
import { get } from './get.js';
import { logs } from './logs.js';
import { rolloutRestart } from './rollout.js';
import { createDeployment, createNamespace, del, expose, run, scale } from './workloads.js';

export { parseSelector } from './flags.js';

export type ExecRunner = (argv: string[], io: CommandIO, ctx: ShellContext) => CommandResult;

export function exec(f: Flags, io: CommandIO, runIn: ExecRunner): CommandResult {
  const podName = f.positional[0];
  if (!podName) return fail('error: pod, type/name or --filename must be specified', 1);
  if (f.command.length === 0) return fail('error: you must specify at least one command for the container', 1);
  const ns = f.namespace ?? 'default';
  const name = podName.replace(/^pods?\//, '');
  const pod = own(own(io.state.pods, ns), name);
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`, 1);
  if (pod.status.phase !== 'Running' || !pod.spec.nodeName) return fail(`error: unable to upgrade connection: container not found ("${pod.spec.containers[0]?.name}")`, 1);
  const container = f.values.container ?? pod.spec.containers[0]?.name ?? '';
  if (!pod.spec.containers.some((c) => c.name === container)) return fail(`error: unable to upgrade connection: container not found ("${container}")`, 1);
  return runIn(f.command, io, { kind: 'pod', pod: `${ns}/${name}`, node: pod.spec.nodeName, container });
}

export function kubectl(runIn: ExecRunner): Command {
  return (args, io) => {
    if (io.ctx.kind === 'node' && io.state.nodes[io.ctx.node]?.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) {
      // Workers have no admin kubeconfig in a kubeadm lab.
      const d = new Date(io.state.clock);
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      const stamp = `E${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
      const line = `${stamp}    4211 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"`;
      return fail(`${line}\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?`, 1);
    }
    if (io.ctx.kind === 'pod') return fail('sh: kubectl: not found', 127);
    const call = parseKubectl(args, { runBefore118: !versionAtLeast(io.state.config.kubernetesVersion, 1, 18) });
    switch (call.kind) {
      case 'help':
        return ok(KUBECTL_HELP);
      case 'verb-help':
        return ok(`netsim: the help text of ${call.path} is not simulated; see https://kubernetes.io/docs/reference/kubectl/generated/\n`);
      case 'unsupported':
        return fail(`netsim: command not supported: kubectl ${args.join(' ')}`, 127);
      case 'error':
        return fail(call.text, call.exitCode);
    }
    const f = call.flags;
    switch (call.verb) {
      case 'get':
        return get(f, io);
      case 'apply':
        return apply(f, io, 'apply');
      case 'create':
        if (call.sub === 'deployment') return createDeployment(f, io);
        if (call.sub === 'namespace') return createNamespace(f, io);
        return apply(f, io, 'create');
      case 'run':
        return run(f, io);
      case 'scale':
        return scale(f, io);
      case 'expose':
        return expose(f, io);
      case 'logs':
        return logs(f, io);
      case 'rollout':
        return rolloutRestart(f, io);
      case 'annotate':
        return annotate(f, io);
      case 'patch':
        return patch(f, io);
      case 'delete':
        return del(f, io);
      case 'describe':
        return describe(f, io);
      case 'exec':
        if (!call.dashed && f.positional.length > 1)
          return fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples", 1);
        return exec(f, io, runIn);
      default: // version
        return ok(`Client Version: v${io.state.config.kubernetesVersion}\nKustomize Version: v5.7.1\nServer Version: v${io.state.config.kubernetesVersion}\n`);
    }
  };
}
