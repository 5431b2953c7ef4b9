# Lesson 6 — NetworkPolicy: the Flannel trap, then canal (Flannel's network, Calico's policy).
# The default lab runs plain Flannel, which stores NetworkPolicy objects and enforces none.
# Run it with: pnpm netsim run examples/lesson6-networkpolicy.sh

# A web tier and a client.
kubectl create deployment web --image=nginx --replicas=2
kubectl run client --image=busybox:1.28.4 -- sleep 3600
kubectl run other --image=busybox:1.28.4 -- sleep 3600
kubectl get pods -o wide

# Deny all ingress in the namespace: accepted, and ignored.
kubectl apply -f manifests/networkpolicy/default-deny-ingress.yaml
kubectl get networkpolicy
kubectl exec client -- wget -qO- -T 2 http://$(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}') | head -4
netsim trace --from client --to $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'):80 | tail -2

# The usual fix for this lab: canal (the simulator serves its built-in copy of this manifest).
kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/canal.yaml
kubectl get ds -n kube-system canal
kubectl get pods -n kube-system -l k8s-app=canal -o wide

# Pods created before canal keep their cni0 veths: Felix's chains never see their traffic.
netsim trace --from client --to $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'):80 | tail -3

# Recreate them: new sandboxes come from Calico's plugin (10-canal.conflist sorts first).
kubectl rollout restart deployment web
kubectl delete pod client other
kubectl run client --image=busybox:1.28.4 -- sleep 3600
kubectl run other --image=busybox:1.28.4 -- sleep 3600
kubectl get pods -o wide
kubectl exec client -- ip route

# Now the policy holds: the client times out, and the trace says which chain dropped it and why.
kubectl exec client -- wget -qO- -T 2 http://$(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}')
netsim trace --from client --to $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'):80 | tail -2

# Let the client in, on port 80 only; the other pod stays out.
kubectl apply -f manifests/networkpolicy/web-allow-client.yaml
kubectl exec client -- wget -qO- -T 2 http://$(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}') | head -4
kubectl exec other -- wget -qO- -T 2 http://$(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}')
netsim trace --from client --to $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'):80 | tail -2
# Who can reach whom on port 80, and which policy decided.
netsim reach

# Deny all egress: DNS goes with it.
kubectl apply -f manifests/networkpolicy/default-deny-egress.yaml
kubectl exec client -- nslookup kubernetes
# Allow DNS to kube-dns (UDP and TCP 53) and the web tier.
kubectl apply -f manifests/networkpolicy/allow-dns.yaml
kubectl exec client -- nslookup kubernetes
kubectl describe networkpolicy allow-dns

# What Felix programmed on a node: a chain per workload interface and per policy, and ipsets.
ssh $(kubectl get pod client -o jsonpath='{.spec.nodeName}')
iptables-save -t filter | grep -c '^-A cali-'
ipset list -n
exit
