# Lesson 1 — POD & NODE networking (seed: "1. POD & NODE networking")
# Replays the lesson on the default lab: kubeadm, one control plane + two workers, Flannel.
# Run it with: pnpm netsim run examples/lesson1-pod-node-networking.sh

# Something to look at: two nginx pods, one per worker.
kubectl create deployment nginx --image=nginx --replicas=2

# See which node our pod is on:
kubectl get pods -o wide

# Log in to the node:
ssh node01

# View the node's virtual network interfaces (cni0, one veth per pod):
ifconfig

# View the containers in the pod (the pause container holds the network namespace):
docker ps

# Get the process ID for the container:
docker inspect --format '{{ .State.Pid }}' $(docker ps -q --filter name=k8s_nginx_)

# Use nsenter to run a command in the process's network namespace: the pod's eth0.
nsenter -t $(docker inspect --format '{{ .State.Pid }}' $(docker ps -q --filter name=k8s_nginx_)) -n ip addr

# The host side of the pair: eth0@ifN in the pod is vethXXXXXXXX@if2 on the node.
ip addr
ip route
exit

# All system pods, as a real kubeadm + Flannel cluster shows them:
kubectl get pods -A -o wide
