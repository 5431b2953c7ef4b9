# netsim: --cni none
# Lesson 2 — CNI: pod to pod inside the cluster (seed: "2. 容器网络接口（CNI）").
# The lab starts as kubeadm leaves it: no network plugin yet (the line above asks for that).
# Run it with: pnpm netsim run examples/lesson2-cni-flannel.sh

# No CNI: the nodes are NotReady and CoreDNS cannot start.
kubectl get nodes
kubectl get pods -n kube-system

# Apply the Flannel CNI plugin (the simulator serves its built-in copy of this manifest):
kubectl apply -f https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml

# flanneld runs on every node, the nodes turn Ready, CoreDNS gets pod IPs.
kubectl get nodes -o wide
kubectl get pods -n kube-flannel -o wide
kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide

# Two pods on two nodes, and a client to talk to them.
kubectl create deployment nginx --image=nginx --replicas=2
kubectl run busybox --image=busybox:1.28.4 -- sleep 3600
kubectl get pods -o wide

# What Flannel wrote on the node: its lease, the VXLAN device, one route/neighbour/FDB entry per peer.
kubectl describe node node01 | grep -A5 Annotations
ssh node01
cat /run/flannel/subnet.env
ip -d link show flannel.1
ip route
ip neigh show dev flannel.1
bridge fdb show dev flannel.1
iptables-save -t nat | grep FLANNEL
exit

# Pod to pod across nodes: ping the nginx pod on the other node from busybox, then the packet's path hop by hop.
kubectl exec busybox -- ping -c 2 $(kubectl get pods -l app=nginx --field-selector spec.nodeName!=$(kubectl get pod busybox -o jsonpath='{.spec.nodeName}') -o jsonpath='{.items[0].status.podIP}')
netsim trace --from busybox --to $(kubectl get pods -l app=nginx --field-selector spec.nodeName!=$(kubectl get pod busybox -o jsonpath='{.spec.nodeName}') -o jsonpath='{.items[0].status.podIP}'):80
# Leaving the cluster: masqueraded to the node's address by FLANNEL-POSTRTG.
kubectl exec busybox -- ping -c 1 8.8.8.8
# Too big for the overlay's MTU (1450) with DF set (from the control plane, where kubectl works):
ping -c 1 -M do -s 1472 $(kubectl get pods -l app=nginx --field-selector spec.nodeName!=$(kubectl get pod busybox -o jsonpath='{.spec.nodeName}') -o jsonpath='{.items[0].status.podIP}')
