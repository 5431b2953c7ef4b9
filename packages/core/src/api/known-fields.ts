// The JSON field names of every Go struct the served kinds decode into, as the API server's
// strict decoder (sigs.k8s.io/json with DisallowUnknownFields, case-sensitive) and kubectl's
// older client-side validation know them. The zod schemas (schemas.ts) describe only the
// fields the simulator models; this table knows every field, so a real manifest with
// `resources`, `volumeMounts` or `securityContext` decodes, and `bogusField` does not.
//
// Generated from the OpenAPI definitions of Kubernetes release-1.36 (the `attributeTypeMap`s
// of @kubernetes/client-node 2.0.1's models, named by their OpenAPI definitions), then the
// legacy versions the simulator still serves on older clusters added by hand from the
// release-1.21 definitions. One field set serves every version: a field added after the
// cluster's version is accepted where that server would call it unknown.
//
// One entry per struct: `<group>.<version>.<Name>` (the OpenAPI definition without its
// `io.k8s.api.` / `io.k8s.apimachinery.pkg.apis.` prefix) → its fields, space-separated;
// `name:Type` for a field holding a struct, `[]Type` a list of them, `{}Type` a map to them;
// a bare name holds a scalar, a list or map of scalars, or a value with its own decoder
// (Quantity, IntOrString, Time, FieldsV1). A Type without a dot is in the same package.

const TYPES: Record<string, string> = {
  'apps.v1.DaemonSet': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:DaemonSetSpec status:DaemonSetStatus',
  'apps.v1.DaemonSetCondition': 'lastTransitionTime message reason status type',
  'apps.v1.DaemonSetSpec': 'minReadySeconds revisionHistoryLimit selector:meta.v1.LabelSelector template:core.v1.PodTemplateSpec updateStrategy:DaemonSetUpdateStrategy',
  'apps.v1.DaemonSetStatus':
    'collisionCount conditions:[]DaemonSetCondition currentNumberScheduled desiredNumberScheduled numberAvailable numberMisscheduled numberReady numberUnavailable observedGeneration updatedNumberScheduled',
  'apps.v1.DaemonSetUpdateStrategy': 'rollingUpdate:RollingUpdateDaemonSet type',
  'apps.v1.Deployment': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:DeploymentSpec status:DeploymentStatus',
  'apps.v1.DeploymentCondition': 'lastTransitionTime lastUpdateTime message reason status type',
  'apps.v1.DeploymentSpec':
    'minReadySeconds paused progressDeadlineSeconds replicas revisionHistoryLimit selector:meta.v1.LabelSelector strategy:DeploymentStrategy template:core.v1.PodTemplateSpec',
  'apps.v1.DeploymentStatus':
    'availableReplicas collisionCount conditions:[]DeploymentCondition observedGeneration readyReplicas replicas terminatingReplicas unavailableReplicas updatedReplicas',
  'apps.v1.DeploymentStrategy': 'rollingUpdate:RollingUpdateDeployment type',
  'apps.v1.ReplicaSet': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:ReplicaSetSpec status:ReplicaSetStatus',
  'apps.v1.ReplicaSetCondition': 'lastTransitionTime message reason status type',
  'apps.v1.ReplicaSetSpec': 'minReadySeconds replicas selector:meta.v1.LabelSelector template:core.v1.PodTemplateSpec',
  'apps.v1.ReplicaSetStatus': 'availableReplicas conditions:[]ReplicaSetCondition fullyLabeledReplicas observedGeneration readyReplicas replicas terminatingReplicas',
  'apps.v1.RollingUpdateDaemonSet': 'maxSurge maxUnavailable',
  'apps.v1.RollingUpdateDeployment': 'maxSurge maxUnavailable',
  'core.v1.AWSElasticBlockStoreVolumeSource': 'fsType partition readOnly volumeID',
  'core.v1.Affinity': 'nodeAffinity:NodeAffinity podAffinity:PodAffinity podAntiAffinity:PodAntiAffinity',
  'core.v1.AppArmorProfile': 'localhostProfile type',
  'core.v1.AttachedVolume': 'devicePath name',
  'core.v1.AzureDiskVolumeSource': 'cachingMode diskName diskURI fsType kind readOnly',
  'core.v1.AzureFileVolumeSource': 'readOnly secretName shareName',
  'core.v1.CSIVolumeSource': 'driver fsType nodePublishSecretRef:LocalObjectReference readOnly volumeAttributes',
  'core.v1.Capabilities': 'add drop',
  'core.v1.CephFSVolumeSource': 'monitors path readOnly secretFile secretRef:LocalObjectReference user',
  'core.v1.CinderVolumeSource': 'fsType readOnly secretRef:LocalObjectReference volumeID',
  'core.v1.ClientIPConfig': 'timeoutSeconds',
  'core.v1.ClusterTrustBundleProjection': 'labelSelector:meta.v1.LabelSelector name optional path signerName',
  'core.v1.ConfigMap': 'apiVersion binaryData data immutable kind metadata:meta.v1.ObjectMeta',
  'core.v1.ConfigMapEnvSource': 'name optional',
  'core.v1.ConfigMapKeySelector': 'key name optional',
  'core.v1.ConfigMapNodeConfigSource': 'kubeletConfigKey name namespace resourceVersion uid',
  'core.v1.ConfigMapProjection': 'items:[]KeyToPath name optional',
  'core.v1.ConfigMapVolumeSource': 'defaultMode items:[]KeyToPath name optional',
  'core.v1.Container':
    'args command env:[]EnvVar envFrom:[]EnvFromSource image imagePullPolicy lifecycle:Lifecycle livenessProbe:Probe name ports:[]ContainerPort readinessProbe:Probe resizePolicy:[]ContainerResizePolicy resources:ResourceRequirements restartPolicy restartPolicyRules:[]ContainerRestartRule securityContext:SecurityContext startupProbe:Probe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices:[]VolumeDevice volumeMounts:[]VolumeMount workingDir',
  'core.v1.ContainerExtendedResourceRequest': 'containerName requestName resourceName',
  'core.v1.ContainerImage': 'names sizeBytes',
  'core.v1.ContainerPort': 'containerPort hostIP hostPort name protocol',
  'core.v1.ContainerResizePolicy': 'resourceName restartPolicy',
  'core.v1.ContainerRestartRule': 'action exitCodes:ContainerRestartRuleOnExitCodes',
  'core.v1.ContainerRestartRuleOnExitCodes': 'operator values',
  'core.v1.ContainerState': 'running:ContainerStateRunning terminated:ContainerStateTerminated waiting:ContainerStateWaiting',
  'core.v1.ContainerStateRunning': 'startedAt',
  'core.v1.ContainerStateTerminated': 'containerID exitCode finishedAt message reason signal startedAt',
  'core.v1.ContainerStateWaiting': 'message reason',
  'core.v1.ContainerStatus':
    'allocatedResources allocatedResourcesStatus:[]ResourceStatus containerID image imageID lastState:ContainerState name ready resources:ResourceRequirements restartCount started state:ContainerState stopSignal user:ContainerUser volumeMounts:[]VolumeMountStatus',
  'core.v1.ContainerUser': 'linux:LinuxContainerUser',
  'core.v1.DaemonEndpoint': 'Port',
  'core.v1.DownwardAPIProjection': 'items:[]DownwardAPIVolumeFile',
  'core.v1.DownwardAPIVolumeFile': 'fieldRef:ObjectFieldSelector mode path resourceFieldRef:ResourceFieldSelector',
  'core.v1.DownwardAPIVolumeSource': 'defaultMode items:[]DownwardAPIVolumeFile',
  'core.v1.EmptyDirVolumeSource': 'medium sizeLimit',
  'core.v1.EndpointAddress': 'hostname ip nodeName targetRef:ObjectReference',
  'core.v1.EndpointPort': 'appProtocol name port protocol',
  'core.v1.EndpointSubset': 'addresses:[]EndpointAddress notReadyAddresses:[]EndpointAddress ports:[]EndpointPort',
  'core.v1.Endpoints': 'apiVersion kind metadata:meta.v1.ObjectMeta subsets:[]EndpointSubset',
  'core.v1.EnvFromSource': 'configMapRef:ConfigMapEnvSource prefix secretRef:SecretEnvSource',
  'core.v1.EnvVar': 'name value valueFrom:EnvVarSource',
  'core.v1.EnvVarSource':
    'configMapKeyRef:ConfigMapKeySelector fieldRef:ObjectFieldSelector fileKeyRef:FileKeySelector resourceFieldRef:ResourceFieldSelector secretKeyRef:SecretKeySelector',
  'core.v1.EphemeralContainer':
    'args command env:[]EnvVar envFrom:[]EnvFromSource image imagePullPolicy lifecycle:Lifecycle livenessProbe:Probe name ports:[]ContainerPort readinessProbe:Probe resizePolicy:[]ContainerResizePolicy resources:ResourceRequirements restartPolicy restartPolicyRules:[]ContainerRestartRule securityContext:SecurityContext startupProbe:Probe stdin stdinOnce targetContainerName terminationMessagePath terminationMessagePolicy tty volumeDevices:[]VolumeDevice volumeMounts:[]VolumeMount workingDir',
  'core.v1.EphemeralVolumeSource': 'volumeClaimTemplate:PersistentVolumeClaimTemplate',
  'core.v1.ExecAction': 'command',
  'core.v1.FCVolumeSource': 'fsType lun readOnly targetWWNs wwids',
  'core.v1.FileKeySelector': 'key optional path volumeName',
  'core.v1.FlexVolumeSource': 'driver fsType options readOnly secretRef:LocalObjectReference',
  'core.v1.FlockerVolumeSource': 'datasetName datasetUUID',
  'core.v1.GCEPersistentDiskVolumeSource': 'fsType partition pdName readOnly',
  'core.v1.GRPCAction': 'port service',
  'core.v1.GitRepoVolumeSource': 'directory repository revision',
  'core.v1.GlusterfsVolumeSource': 'endpoints path readOnly',
  'core.v1.HTTPGetAction': 'host httpHeaders:[]HTTPHeader path port scheme',
  'core.v1.HTTPHeader': 'name value',
  'core.v1.HostAlias': 'hostnames ip',
  'core.v1.HostIP': 'ip',
  'core.v1.HostPathVolumeSource': 'path type',
  'core.v1.ISCSIVolumeSource': 'chapAuthDiscovery chapAuthSession fsType initiatorName iqn iscsiInterface lun portals readOnly secretRef:LocalObjectReference targetPortal',
  'core.v1.ImageVolumeSource': 'pullPolicy reference',
  'core.v1.ImageVolumeStatus': 'imageRef',
  'core.v1.KeyToPath': 'key mode path',
  'core.v1.Lifecycle': 'postStart:LifecycleHandler preStop:LifecycleHandler stopSignal',
  'core.v1.LifecycleHandler': 'exec:ExecAction httpGet:HTTPGetAction sleep:SleepAction tcpSocket:TCPSocketAction',
  'core.v1.LinuxContainerUser': 'gid supplementalGroups uid',
  'core.v1.LoadBalancerIngress': 'hostname ip ipMode ports:[]PortStatus',
  'core.v1.LoadBalancerStatus': 'ingress:[]LoadBalancerIngress',
  'core.v1.LocalObjectReference': 'name',
  'core.v1.NFSVolumeSource': 'path readOnly server',
  'core.v1.Namespace': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:NamespaceSpec status:NamespaceStatus',
  'core.v1.NamespaceCondition': 'lastTransitionTime message reason status type',
  'core.v1.NamespaceSpec': 'finalizers',
  'core.v1.NamespaceStatus': 'conditions:[]NamespaceCondition phase',
  'core.v1.Node': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:NodeSpec status:NodeStatus',
  'core.v1.NodeAddress': 'address type',
  'core.v1.NodeAffinity': 'preferredDuringSchedulingIgnoredDuringExecution:[]PreferredSchedulingTerm requiredDuringSchedulingIgnoredDuringExecution:NodeSelector',
  'core.v1.NodeAllocatableResourceClaimStatus': 'containers resourceClaimName resources',
  'core.v1.NodeCondition': 'lastHeartbeatTime lastTransitionTime message reason status type',
  'core.v1.NodeConfigSource': 'configMap:ConfigMapNodeConfigSource',
  'core.v1.NodeConfigStatus': 'active:NodeConfigSource assigned:NodeConfigSource error lastKnownGood:NodeConfigSource',
  'core.v1.NodeDaemonEndpoints': 'kubeletEndpoint:DaemonEndpoint',
  'core.v1.NodeFeatures': 'supplementalGroupsPolicy',
  'core.v1.NodeRuntimeHandler': 'features:NodeRuntimeHandlerFeatures name',
  'core.v1.NodeRuntimeHandlerFeatures': 'recursiveReadOnlyMounts userNamespaces',
  'core.v1.NodeSelector': 'nodeSelectorTerms:[]NodeSelectorTerm',
  'core.v1.NodeSelectorRequirement': 'key operator values',
  'core.v1.NodeSelectorTerm': 'matchExpressions:[]NodeSelectorRequirement matchFields:[]NodeSelectorRequirement',
  'core.v1.NodeSpec': 'configSource:NodeConfigSource externalID podCIDR podCIDRs providerID taints:[]Taint unschedulable',
  'core.v1.NodeStatus':
    'addresses:[]NodeAddress allocatable capacity conditions:[]NodeCondition config:NodeConfigStatus daemonEndpoints:NodeDaemonEndpoints declaredFeatures features:NodeFeatures images:[]ContainerImage nodeInfo:NodeSystemInfo phase runtimeHandlers:[]NodeRuntimeHandler volumesAttached:[]AttachedVolume volumesInUse',
  'core.v1.NodeSwapStatus': 'capacity',
  'core.v1.NodeSystemInfo':
    'architecture bootID containerRuntimeVersion kernelVersion kubeProxyVersion kubeletVersion machineID operatingSystem osImage swap:NodeSwapStatus systemUUID',
  'core.v1.ObjectFieldSelector': 'apiVersion fieldPath',
  'core.v1.ObjectReference': 'apiVersion fieldPath kind name namespace resourceVersion uid',
  'core.v1.PersistentVolumeClaimSpec':
    'accessModes dataSource:TypedLocalObjectReference dataSourceRef:TypedObjectReference resources:VolumeResourceRequirements selector:meta.v1.LabelSelector storageClassName volumeAttributesClassName volumeMode volumeName',
  'core.v1.PersistentVolumeClaimTemplate': 'metadata:meta.v1.ObjectMeta spec:PersistentVolumeClaimSpec',
  'core.v1.PersistentVolumeClaimVolumeSource': 'claimName readOnly',
  'core.v1.PhotonPersistentDiskVolumeSource': 'fsType pdID',
  'core.v1.Pod': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:PodSpec status:PodStatus',
  'core.v1.PodAffinity': 'preferredDuringSchedulingIgnoredDuringExecution:[]WeightedPodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution:[]PodAffinityTerm',
  'core.v1.PodAffinityTerm': 'labelSelector:meta.v1.LabelSelector matchLabelKeys mismatchLabelKeys namespaceSelector:meta.v1.LabelSelector namespaces topologyKey',
  'core.v1.PodAntiAffinity': 'preferredDuringSchedulingIgnoredDuringExecution:[]WeightedPodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution:[]PodAffinityTerm',
  'core.v1.PodCertificateProjection': 'certificateChainPath credentialBundlePath keyPath keyType maxExpirationSeconds signerName userAnnotations',
  'core.v1.PodCondition': 'lastProbeTime lastTransitionTime message observedGeneration reason status type',
  'core.v1.PodDNSConfig': 'nameservers options:[]PodDNSConfigOption searches',
  'core.v1.PodDNSConfigOption': 'name value',
  'core.v1.PodExtendedResourceClaimStatus': 'requestMappings:[]ContainerExtendedResourceRequest resourceClaimName',
  'core.v1.PodIP': 'ip',
  'core.v1.PodOS': 'name',
  'core.v1.PodReadinessGate': 'conditionType',
  'core.v1.PodResourceClaim': 'name resourceClaimName resourceClaimTemplateName',
  'core.v1.PodResourceClaimStatus': 'name resourceClaimName',
  'core.v1.PodSchedulingGate': 'name',
  'core.v1.PodSchedulingGroup': 'podGroupName',
  'core.v1.PodSecurityContext':
    'appArmorProfile:AppArmorProfile fsGroup fsGroupChangePolicy runAsGroup runAsNonRoot runAsUser seLinuxChangePolicy seLinuxOptions:SELinuxOptions seccompProfile:SeccompProfile supplementalGroups supplementalGroupsPolicy sysctls:[]Sysctl windowsOptions:WindowsSecurityContextOptions',
  'core.v1.PodSpec':
    'activeDeadlineSeconds affinity:Affinity automountServiceAccountToken containers:[]Container dnsConfig:PodDNSConfig dnsPolicy enableServiceLinks ephemeralContainers:[]EphemeralContainer hostAliases:[]HostAlias hostIPC hostNetwork hostPID hostUsers hostname hostnameOverride imagePullSecrets:[]LocalObjectReference initContainers:[]Container nodeName nodeSelector os:PodOS overhead preemptionPolicy priority priorityClassName readinessGates:[]PodReadinessGate resourceClaims:[]PodResourceClaim resources:ResourceRequirements restartPolicy runtimeClassName schedulerName schedulingGates:[]PodSchedulingGate schedulingGroup:PodSchedulingGroup securityContext:PodSecurityContext serviceAccount serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds tolerations:[]Toleration topologySpreadConstraints:[]TopologySpreadConstraint volumes:[]Volume',
  'core.v1.PodStatus':
    'allocatedResources conditions:[]PodCondition containerStatuses:[]ContainerStatus ephemeralContainerStatuses:[]ContainerStatus extendedResourceClaimStatus:PodExtendedResourceClaimStatus hostIP hostIPs:[]HostIP initContainerStatuses:[]ContainerStatus message nodeAllocatableResourceClaimStatuses:[]NodeAllocatableResourceClaimStatus nominatedNodeName observedGeneration phase podIP podIPs:[]PodIP qosClass reason resize resourceClaimStatuses:[]PodResourceClaimStatus resources:ResourceRequirements startTime',
  'core.v1.PodTemplateSpec': 'metadata:meta.v1.ObjectMeta spec:PodSpec',
  'core.v1.PortStatus': 'error port protocol',
  'core.v1.PortworxVolumeSource': 'fsType readOnly volumeID',
  'core.v1.PreferredSchedulingTerm': 'preference:NodeSelectorTerm weight',
  'core.v1.Probe':
    'exec:ExecAction failureThreshold grpc:GRPCAction httpGet:HTTPGetAction initialDelaySeconds periodSeconds successThreshold tcpSocket:TCPSocketAction terminationGracePeriodSeconds timeoutSeconds',
  'core.v1.ProjectedVolumeSource': 'defaultMode sources:[]VolumeProjection',
  'core.v1.QuobyteVolumeSource': 'group readOnly registry tenant user volume',
  'core.v1.RBDVolumeSource': 'fsType image keyring monitors pool readOnly secretRef:LocalObjectReference user',
  'core.v1.ResourceClaim': 'name request',
  'core.v1.ResourceFieldSelector': 'containerName divisor resource',
  'core.v1.ResourceHealth': 'health message resourceID',
  'core.v1.ResourceRequirements': 'claims:[]ResourceClaim limits requests',
  'core.v1.ResourceStatus': 'name resources:[]ResourceHealth',
  'core.v1.SELinuxOptions': 'level role type user',
  'core.v1.ScaleIOVolumeSource': 'fsType gateway protectionDomain readOnly secretRef:LocalObjectReference sslEnabled storageMode storagePool system volumeName',
  'core.v1.SeccompProfile': 'localhostProfile type',
  'core.v1.SecretEnvSource': 'name optional',
  'core.v1.SecretKeySelector': 'key name optional',
  'core.v1.SecretProjection': 'items:[]KeyToPath name optional',
  'core.v1.SecretVolumeSource': 'defaultMode items:[]KeyToPath optional secretName',
  'core.v1.SecurityContext':
    'allowPrivilegeEscalation appArmorProfile:AppArmorProfile capabilities:Capabilities privileged procMount readOnlyRootFilesystem runAsGroup runAsNonRoot runAsUser seLinuxOptions:SELinuxOptions seccompProfile:SeccompProfile windowsOptions:WindowsSecurityContextOptions',
  'core.v1.Service': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:ServiceSpec status:ServiceStatus',
  'core.v1.ServiceAccount': 'apiVersion automountServiceAccountToken imagePullSecrets:[]LocalObjectReference kind metadata:meta.v1.ObjectMeta secrets:[]ObjectReference',
  'core.v1.ServiceAccountTokenProjection': 'audience expirationSeconds path',
  'core.v1.ServicePort': 'appProtocol name nodePort port protocol targetPort',
  'core.v1.ServiceSpec':
    'allocateLoadBalancerNodePorts clusterIP clusterIPs externalIPs externalName externalTrafficPolicy healthCheckNodePort internalTrafficPolicy ipFamilies ipFamilyPolicy loadBalancerClass loadBalancerIP loadBalancerSourceRanges ports:[]ServicePort publishNotReadyAddresses selector sessionAffinity sessionAffinityConfig:SessionAffinityConfig trafficDistribution type',
  'core.v1.ServiceStatus': 'conditions:[]meta.v1.Condition loadBalancer:LoadBalancerStatus',
  'core.v1.SessionAffinityConfig': 'clientIP:ClientIPConfig',
  'core.v1.SleepAction': 'seconds',
  'core.v1.StorageOSVolumeSource': 'fsType readOnly secretRef:LocalObjectReference volumeName volumeNamespace',
  'core.v1.Sysctl': 'name value',
  'core.v1.TCPSocketAction': 'host port',
  'core.v1.Taint': 'effect key timeAdded value',
  'core.v1.Toleration': 'effect key operator tolerationSeconds value',
  'core.v1.TopologySpreadConstraint': 'labelSelector:meta.v1.LabelSelector matchLabelKeys maxSkew minDomains nodeAffinityPolicy nodeTaintsPolicy topologyKey whenUnsatisfiable',
  'core.v1.TypedLocalObjectReference': 'apiGroup kind name',
  'core.v1.TypedObjectReference': 'apiGroup kind name namespace',
  'core.v1.Volume':
    'awsElasticBlockStore:AWSElasticBlockStoreVolumeSource azureDisk:AzureDiskVolumeSource azureFile:AzureFileVolumeSource cephfs:CephFSVolumeSource cinder:CinderVolumeSource configMap:ConfigMapVolumeSource csi:CSIVolumeSource downwardAPI:DownwardAPIVolumeSource emptyDir:EmptyDirVolumeSource ephemeral:EphemeralVolumeSource fc:FCVolumeSource flexVolume:FlexVolumeSource flocker:FlockerVolumeSource gcePersistentDisk:GCEPersistentDiskVolumeSource gitRepo:GitRepoVolumeSource glusterfs:GlusterfsVolumeSource hostPath:HostPathVolumeSource image:ImageVolumeSource iscsi:ISCSIVolumeSource name nfs:NFSVolumeSource persistentVolumeClaim:PersistentVolumeClaimVolumeSource photonPersistentDisk:PhotonPersistentDiskVolumeSource portworxVolume:PortworxVolumeSource projected:ProjectedVolumeSource quobyte:QuobyteVolumeSource rbd:RBDVolumeSource scaleIO:ScaleIOVolumeSource secret:SecretVolumeSource storageos:StorageOSVolumeSource vsphereVolume:VsphereVirtualDiskVolumeSource',
  'core.v1.VolumeDevice': 'devicePath name',
  'core.v1.VolumeMount': 'mountPath mountPropagation name readOnly recursiveReadOnly subPath subPathExpr',
  'core.v1.VolumeMountStatus': 'mountPath name readOnly recursiveReadOnly volumeStatus:VolumeStatus',
  'core.v1.VolumeProjection':
    'clusterTrustBundle:ClusterTrustBundleProjection configMap:ConfigMapProjection downwardAPI:DownwardAPIProjection podCertificate:PodCertificateProjection secret:SecretProjection serviceAccountToken:ServiceAccountTokenProjection',
  'core.v1.VolumeResourceRequirements': 'limits requests',
  'core.v1.VolumeStatus': 'image:ImageVolumeStatus',
  'core.v1.VsphereVirtualDiskVolumeSource': 'fsType storagePolicyID storagePolicyName volumePath',
  'core.v1.WeightedPodAffinityTerm': 'podAffinityTerm:PodAffinityTerm weight',
  'core.v1.WindowsSecurityContextOptions': 'gmsaCredentialSpec gmsaCredentialSpecName hostProcess runAsUserName',
  'discovery.v1.Endpoint': 'addresses conditions:EndpointConditions deprecatedTopology hints:EndpointHints hostname nodeName targetRef:core.v1.ObjectReference zone',
  'discovery.v1.EndpointConditions': 'ready serving terminating',
  'discovery.v1.EndpointHints': 'forNodes:[]ForNode forZones:[]ForZone',
  'discovery.v1.EndpointPort': 'appProtocol name port protocol',
  'discovery.v1.EndpointSlice': 'addressType apiVersion endpoints:[]Endpoint kind metadata:meta.v1.ObjectMeta ports:[]EndpointPort',
  'discovery.v1.ForNode': 'name',
  'discovery.v1.ForZone': 'name',
  'meta.v1.Condition': 'lastTransitionTime message observedGeneration reason status type',
  'meta.v1.LabelSelector': 'matchExpressions:[]LabelSelectorRequirement matchLabels',
  'meta.v1.LabelSelectorRequirement': 'key operator values',
  'meta.v1.ManagedFieldsEntry': 'apiVersion fieldsType fieldsV1 manager operation subresource time',
  'meta.v1.ObjectMeta':
    'annotations creationTimestamp deletionGracePeriodSeconds deletionTimestamp finalizers generateName generation labels managedFields:[]ManagedFieldsEntry name namespace ownerReferences:[]OwnerReference resourceVersion selfLink uid',
  'meta.v1.OwnerReference': 'apiVersion blockOwnerDeletion controller kind name uid',
  'networking.v1.HTTPIngressPath': 'backend:IngressBackend path pathType',
  'networking.v1.HTTPIngressRuleValue': 'paths:[]HTTPIngressPath',
  'networking.v1.Ingress': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:IngressSpec status:IngressStatus',
  'networking.v1.IngressBackend': 'resource:core.v1.TypedLocalObjectReference service:IngressServiceBackend',
  'networking.v1.IngressClass': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:IngressClassSpec',
  'networking.v1.IngressClassParametersReference': 'apiGroup kind name namespace scope',
  'networking.v1.IngressClassSpec': 'controller parameters:IngressClassParametersReference',
  'networking.v1.IngressLoadBalancerIngress': 'hostname ip ports:[]IngressPortStatus',
  'networking.v1.IngressLoadBalancerStatus': 'ingress:[]IngressLoadBalancerIngress',
  'networking.v1.IngressPortStatus': 'error port protocol',
  'networking.v1.IngressRule': 'host http:HTTPIngressRuleValue',
  'networking.v1.IngressServiceBackend': 'name port:ServiceBackendPort',
  'networking.v1.IngressSpec': 'defaultBackend:IngressBackend ingressClassName rules:[]IngressRule tls:[]IngressTLS',
  'networking.v1.IPBlock': 'cidr except',
  'networking.v1.NetworkPolicy': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:NetworkPolicySpec',
  'networking.v1.NetworkPolicyEgressRule': 'ports:[]NetworkPolicyPort to:[]NetworkPolicyPeer',
  'networking.v1.NetworkPolicyIngressRule': 'from:[]NetworkPolicyPeer ports:[]NetworkPolicyPort',
  'networking.v1.NetworkPolicyPeer': 'ipBlock:IPBlock namespaceSelector:meta.v1.LabelSelector podSelector:meta.v1.LabelSelector',
  'networking.v1.NetworkPolicyPort': 'endPort port protocol',
  'networking.v1.NetworkPolicySpec': 'egress:[]NetworkPolicyEgressRule ingress:[]NetworkPolicyIngressRule podSelector:meta.v1.LabelSelector policyTypes',
  'networking.v1.IngressStatus': 'loadBalancer:IngressLoadBalancerStatus',
  'networking.v1.IngressTLS': 'hosts secretName',
  'networking.v1.ServiceBackendPort': 'name number',
  'rbac.v1.AggregationRule': 'clusterRoleSelectors:[]meta.v1.LabelSelector',
  'rbac.v1.ClusterRole': 'aggregationRule:AggregationRule apiVersion kind metadata:meta.v1.ObjectMeta rules:[]PolicyRule',
  'rbac.v1.ClusterRoleBinding': 'apiVersion kind metadata:meta.v1.ObjectMeta roleRef:RoleRef subjects:[]Subject',
  'rbac.v1.PolicyRule': 'apiGroups nonResourceURLs resourceNames resources verbs',
  'rbac.v1.RoleRef': 'apiGroup kind name',
  'rbac.v1.Subject': 'apiGroup kind name namespace',
  // extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress (removed in 1.22), IngressClass v1beta1.
  'extensions.v1beta1.HTTPIngressPath': 'backend:IngressBackend path pathType',
  'extensions.v1beta1.HTTPIngressRuleValue': 'paths:[]HTTPIngressPath',
  'extensions.v1beta1.Ingress': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:IngressSpec status:IngressStatus',
  'extensions.v1beta1.IngressBackend': 'resource:core.v1.TypedLocalObjectReference serviceName servicePort',
  'extensions.v1beta1.IngressRule': 'host http:HTTPIngressRuleValue',
  'extensions.v1beta1.IngressSpec': 'backend:IngressBackend ingressClassName rules:[]IngressRule tls:[]IngressTLS',
  'extensions.v1beta1.IngressStatus': 'loadBalancer:core.v1.LoadBalancerStatus',
  'extensions.v1beta1.IngressTLS': 'hosts secretName',
  'networking.v1beta1.HTTPIngressPath': 'backend:IngressBackend path pathType',
  'networking.v1beta1.HTTPIngressRuleValue': 'paths:[]HTTPIngressPath',
  'networking.v1beta1.Ingress': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:IngressSpec status:IngressStatus',
  'networking.v1beta1.IngressBackend': 'resource:core.v1.TypedLocalObjectReference serviceName servicePort',
  'networking.v1beta1.IngressClass': 'apiVersion kind metadata:meta.v1.ObjectMeta spec:IngressClassSpec',
  'networking.v1beta1.IngressClassParametersReference': 'apiGroup kind name namespace scope',
  'networking.v1beta1.IngressClassSpec': 'controller parameters:IngressClassParametersReference',
  'networking.v1beta1.IngressRule': 'host http:HTTPIngressRuleValue',
  'networking.v1beta1.IngressSpec': 'backend:IngressBackend ingressClassName rules:[]IngressRule tls:[]IngressTLS',
  'networking.v1beta1.IngressStatus': 'loadBalancer:core.v1.LoadBalancerStatus',
  'networking.v1beta1.IngressTLS': 'hosts secretName',
  // discovery.k8s.io/v1beta1 EndpointSlice (removed in 1.25).
  'discovery.v1beta1.Endpoint': 'addresses conditions:EndpointConditions hints:EndpointHints hostname nodeName targetRef:core.v1.ObjectReference topology',
  'discovery.v1beta1.EndpointConditions': 'ready serving terminating',
  'discovery.v1beta1.EndpointHints': 'forZones:[]ForZone',
  'discovery.v1beta1.EndpointPort': 'appProtocol name port protocol',
  'discovery.v1beta1.EndpointSlice': 'addressType apiVersion endpoints:[]Endpoint kind metadata:meta.v1.ObjectMeta ports:[]EndpointPort',
  'discovery.v1beta1.ForZone': 'name',
};

/** A field's value: a struct (its type name), a list or a map of them, or anything else. */
export type FieldShape = { struct: string } | { list: FieldShape } | { map: FieldShape } | undefined;

export interface StructFields {
  /** The OpenAPI definition name: `io.k8s.api.core.v1.Container`. */
  readonly definition: string;
  readonly fields: ReadonlyMap<string, FieldShape>;
}

const parsed = new Map<string, StructFields>();

function shapeOf(ref: string, pkg: string): FieldShape {
  if (ref.startsWith('[]')) return { list: shapeOf(ref.slice(2), pkg) };
  if (ref.startsWith('{}')) return { map: shapeOf(ref.slice(2), pkg) };
  return { struct: ref.includes('.') ? ref : `${pkg}.${ref}` };
}

/** The struct's fields, or undefined for a type name the table does not have. */
export function structFields(type: string): StructFields | undefined {
  const cached = parsed.get(type);
  if (cached) return cached;
  if (!Object.hasOwn(TYPES, type)) return undefined;
  const pkg = type.slice(0, type.lastIndexOf('.'));
  const fields = new Map<string, FieldShape>();
  for (const entry of TYPES[type]!.split(' ')) {
    const colon = entry.indexOf(':');
    if (colon < 0) fields.set(entry, undefined);
    else fields.set(entry.slice(0, colon), shapeOf(entry.slice(colon + 1), pkg));
  }
  const definition = `${type.startsWith('meta.') ? 'io.k8s.apimachinery.pkg.apis.' : 'io.k8s.api.'}${type}`;
  const out: StructFields = { definition, fields };
  parsed.set(type, out);
  return out;
}

/** Every type name in the table (for tests). */
export function knownStructTypes(): string[] {
  return Object.keys(TYPES);
}
