# Lesson 4 — Ingress and LoadBalancers (seed: "Ingress 、LoadBalancers").
# The default lab has a load-balancer provider (MetalLB, L2, pool 192.168.56.240-250) and the
# ingress-nginx controller (IngressClass nginx, default) behind 192.168.56.240.
# Run it with: pnpm netsim run examples/lesson4-ingress-loadbalancers.sh

kubectl get services -A

# The seed's LoadBalancer Service in front of nginx pods:
kubectl create deployment nginx --image=nginx --replicas=2
kubectl apply -f manifests/nginx-loadbalancer.yaml
kubectl get services

# `kubectl run` creates a Pod since Kubernetes 1.18, so the seed's scale step fails here…
kubectl run kubeserve2 --image=chadmcrowell/kubeserve2
kubectl get deployments
kubectl scale deployment/kubeserve2 --replicas=2
# …and a Deployment is what the lesson means:
kubectl delete pod kubeserve2
kubectl create deployment kubeserve2 --image=chadmcrowell/kubeserve2
kubectl scale deployment/kubeserve2 --replicas=2
kubectl get pods -o wide

# A LoadBalancer from the deployment: <pending>, then MetalLB's address.
kubectl expose deployment kubeserve2 --port 80 --target-port 8080 --type LoadBalancer
kubectl get services -w
kubectl get services kubeserve2 -o yaml
curl http://$(kubectl get services kubeserve2 -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
kubectl describe services kubeserve2

# The seed's annotate does not change the traffic policy (it only adds an annotation)…
kubectl annotate service kubeserve2 externalTrafficPolicy=Local
kubectl describe services kubeserve2 | grep -i 'traffic policy'
# …a patch of the spec does: client IPs are kept, only nodes with a local pod answer.
kubectl patch svc kubeserve2 -p '{"spec":{"externalTrafficPolicy":"Local"}}'
kubectl describe services kubeserve2 | grep -i 'traffic policy'
netsim trace --from external --to $(kubectl get services kubeserve2 -o jsonpath='{.status.loadBalancer.ingress[0].ip}'):80

# The seed's Ingress is extensions/v1beta1, removed in 1.22: rejected as kubectl rejects it.
kubectl apply -f manifests/service-ingress.yaml
# The same rules as networking.k8s.io/v1, with Services for all three backends:
kubectl create deployment httpd --image=httpd
kubectl expose deployment nginx --port 80
kubectl expose deployment httpd --port 80
kubectl apply -f manifests/service-ingress-v1.yaml
kubectl get ingress
kubectl describe ingress

# From the student's workstation outside the cluster:
netsim shell workstation
curl http://kubeserve2.example.com
curl -H 'Host: kubeserve.example.com' http://192.168.56.240
curl --resolve app.example.com:80:192.168.56.240 http://app.example.com | grep title
curl -H 'Host: something.else' http://192.168.56.240
echo "192.168.56.240 kubeserve.example.com" | sudo tee -a /etc/hosts
curl http://kubeserve.example.com
netsim trace --to 192.168.56.240:80 --http kubeserve.example.com/
exit
