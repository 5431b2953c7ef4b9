# Lesson 5 — DNS (seed: "5.DNS"): CoreDNS, resolv.conf, names of Services and pods.
# Run it with: pnpm netsim run examples/lesson5-dns.sh

# CoreDNS: its pods, its Deployment, the kube-dns Service in front of them.
kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide
kubectl get deployments -n kube-system
kubectl get services -n kube-system

# The seed's busybox (1.28.4: its nslookup goes through libc and prints the old format).
kubectl apply -f manifests/busybox.yaml
kubectl exec -it busybox -- cat /etc/resolv.conf
kubectl exec -it busybox -- nslookup kubernetes
kubectl exec -ti busybox -- nslookup $(kubectl get pod busybox -o jsonpath='{.status.podIP}' | tr . -).default.pod.cluster.local
kubectl exec -it busybox -- nslookup kube-dns.kube-system.svc.cluster.local
kubectl exec -it busybox -- nslookup example.com

# A query's path: busybox → kube-dns's ClusterIP → DNAT to one CoreDNS pod (maybe through VXLAN).
netsim trace --from busybox --to 10.96.0.10:53 --proto udp --all

# CoreDNS's log (kubeadm's Corefile has no `log` plugin: just the startup lines).
kubectl logs -n kube-system $(kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')

# The seed's headless Service selects app=kubserve2 (sic): nothing matches, so no ready
# endpoints — and a headless name without ready endpoints does not exist (NXDOMAIN).
kubectl apply -f manifests/kube-headless.yaml
kubectl get services kube-headless
kubectl exec -it busybox -- nslookup kube-headless
# With pods carrying that label it answers one A record per ready endpoint:
kubectl create deployment kubserve2 --image=chadmcrowell/kubeserve2 --replicas=2
kubectl get endpoints kube-headless
kubectl exec -it busybox -- nslookup kube-headless

# The seed's custom-DNS pod: dnsPolicy None with its own nameserver, search list and options.
kubectl apply -f manifests/dns-example.yaml
kubectl exec dns-example -- cat /etc/resolv.conf

# From a node, dig asks kube-dns directly:
ssh node01
dig @10.96.0.10 kubernetes.default.svc.cluster.local +short
dig @10.96.0.10 _https._tcp.kubernetes.default.svc.cluster.local SRV +short
exit
