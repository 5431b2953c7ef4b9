// nslookup (busybox 1.28, busybox ≥ 1.30, bind9), host and dig: each a pure renderer over replies
// and a `run…` that drives the tool's real query sequence through a QueryFn, returning its output
// and every packet sent. The shell's commands come in here.

export { busyboxNslookup128, runBusyboxNslookup128, type BusyboxRunOptions, type ResolvedAddress } from './busybox-nslookup-128.js';
export { busyboxNslookupModern, runBusyboxNslookupModern, type CompletedQuery } from './busybox-nslookup-modern.js';
export { bindNslookup, runBindNslookup, type NslookupStep } from './bind-nslookup.js';
export { host, runHost, type HostStep } from './host.js';
export { DIG_VERSION, dig, digQuestion, digRR, digWhen, messageSize, runDig, seededId, type DigOptions } from './dig.js';
export type { BindRunOptions } from './bind-lookup.js';
export { rdataText, type ToolOutput, type ToolRun } from './output.js';
