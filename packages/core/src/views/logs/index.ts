// Container logs as the programs print them (`kubectl logs`). The folder's way in.

export { klogLine, type KlogLine, type KlogSeverity, type KlogValue } from './klog.js';
export { kubeProxyLog, type KubeProxyLog, type KubeProxyLogInput } from './kube-proxy.js';
