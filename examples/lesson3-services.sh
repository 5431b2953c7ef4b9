# Lesson 3 — service networking (seed: "3. service 网络"): ClusterIP vs NodePort, and the
# iptables rules kube-proxy writes on every node.
# Run it with: pnpm netsim run examples/lesson3-services.sh

# Pods for the Service to find (label app=nginx, as the seed's selector expects).
kubectl create deployment nginx --image=nginx --replicas=2

# The seed's NodePort Service:
kubectl apply -f manifests/nginx-nodeport.yaml

# YAML of the services in the cluster (the ClusterIP and nodePort the API server allocated):
kubectl get services nginx-nodeport -o yaml

# Try and ping the kubernetes Service's ClusterIP: nothing answers (kube-proxy only DNATs ports).
ping -c 2 10.96.0.1

kubectl get services
kubectl get endpoints

# The rules kube-proxy wrote for the Service:
sudo iptables-save | grep KUBE | grep nginx

# The ClusterIP works for TCP port 80, from a node or a pod:
curl -s http://$(kubectl get service nginx-nodeport -o jsonpath='{.spec.clusterIP}') | grep title
kubectl run client --image=busybox:1.28.4 -- sleep 3600
netsim trace --from client --to $(kubectl get service nginx-nodeport -o jsonpath='{.spec.clusterIP}'):80

# The NodePort answers on every node's address — from outside the cluster too (SNATed to the node):
curl -s http://192.168.56.11:30080 | grep title
netsim trace --from external --to 192.168.56.12:30080

# Scaled to zero, the Service has no endpoints: kube-proxy REJECTs, curl is refused.
kubectl scale deployment/nginx --replicas=0
kubectl get endpoints nginx-nodeport
curl http://$(kubectl get service nginx-nodeport -o jsonpath='{.spec.clusterIP}')
sudo iptables-save | grep nginx
