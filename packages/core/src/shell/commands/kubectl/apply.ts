// kubectl apply|create -f: files, stdin and the manifests the simulator knows by URL.

import { isApiError, kubectlErrorLine } from '../../../api/errors.js';
import { parseManifests } from '../../../api/yaml.js';
import { validateManifest } from '../../../api/manifest.js';
import { getObject } from '../../../state/store.js';
import { nonEnforcingCNI } from '../../../state/networkpolicy.js';
import { applyObjects } from '../../../controllers/transitions.js';
import { kindRef } from '../../../api/resources.js';
import { FLANNEL_MANIFEST_URLS, KUBE_FLANNEL_YML } from '../../../addons/kube-flannel.js';
import { CANAL_YML, isCanalManifestURL } from '../../../addons/canal.js';
import { fail, type CommandIO, type CommandResult } from '../../context.js';
import { qualified, type Flags } from './flags.js';

/** Manifests the simulator knows by URL (there is no internet to fetch others from). */
export function builtinManifest(url: string): string | undefined {
  if (FLANNEL_MANIFEST_URLS.includes(url) || /\/kube-flannel\.ya?ml$/.test(url)) return KUBE_FLANNEL_YML;
  if (isCanalManifestURL(url)) return CANAL_YML;
  return undefined;
}

export function readSource(path: string, io: CommandIO): string {
  if (path === '-') return io.stdin;
  if (/^https?:\/\//.test(path)) {
    const text = builtinManifest(path);
    if (text === undefined) throw new Error(`error: unable to read URL "${path}", server reported 404 Not Found, status code=404`);
    return text;
  }
  if (!io.env.readFile) throw new Error(`error: the path "${path}" cannot be read here (no file access)`);
  return io.env.readFile(path);
}

/** kubectl apply -f: each document on its own, as kubectl does (earlier ones stay applied). */
export function apply(f: Flags, io: CommandIO, verb: 'apply' | 'create'): CommandResult {
  if (f.files.length === 0) return fail('error: must specify one of -f and -k', 1);
  let state = io.state;
  const out: string[] = [];
  const errs: string[] = [];
  let policyNote = false;
  for (const file of f.files) {
    const source = file === '-' ? 'STDIN' : file;
    let text: string;
    try {
      text = readSource(file, io);
    } catch (e) {
      errs.push(file.startsWith('http') ? (e as Error).message : `error: the path "${file}" does not exist`);
      continue;
    }
    let docs: unknown[];
    try {
      docs = parseManifests(text, source);
    } catch (e) {
      if (isApiError(e)) {
        errs.push(kubectlErrorLine(e, { source }));
        continue;
      }
      throw e;
    }
    if (docs.length === 0) {
      errs.push('error: no objects passed to apply');
      continue;
    }
    for (const doc of docs) {
      try {
        const manifest = validateManifest(doc, { kubernetesVersion: state.config.kubernetesVersion, defaultNamespace: f.namespace ?? 'default' });
        if (verb === 'create' && getObject(state, manifest.kind, manifest.metadata.namespace, manifest.metadata.name)) {
          errs.push(`Error from server (AlreadyExists): error when creating "${source}": ${qualified(manifest.kind)} "${manifest.metadata.name}" already exists`);
          continue;
        }
        const r = applyObjects(state, [manifest]);
        state = r.state;
        // kubectl names the resource by the group it was applied as (`ingress.extensions/x`).
        const written = (doc as { apiVersion?: unknown }).apiVersion;
        const group = typeof written === 'string' && written.includes('/') ? written.slice(0, written.indexOf('/')) : '';
        if (manifest.kind === 'NetworkPolicy' && nonEnforcingCNI(state)) policyNote = true;
        for (const res of r.results) out.push(`${group ? `${res.kind.toLowerCase()}.${group}` : kindRef(res.kind)}/${res.name} ${res.action}`);
      } catch (e) {
        if (!isApiError(e)) throw e;
        errs.push(kubectlErrorLine(e, { verb: verb === 'apply' ? 'creating' : 'creating', source, kubernetesVersion: state.config.kubernetesVersion }));
      }
    }
  }
  // Once per command, after the objects (kubectl's own lines stay as the real tool prints them).
  if (policyNote) errs.push(`netsim: note: the cluster's CNI (${nonEnforcingCNI(state)}) does not enforce NetworkPolicy; it is stored and has no effect`);
  const failed = errs.length > (policyNote ? 1 : 0);
  return { stdout: out.map((l) => `${l}\n`).join(''), ...(errs.length ? { stderr: `${errs.join('\n')}\n` } : {}), ...(failed ? { exitCode: 1 } : {}), state };
}
