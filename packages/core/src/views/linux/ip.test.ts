import { describe, expect, it } from 'vitest';
import type { Netns } from '../../dataplane/types.js';
import { parseIPv4 } from '../../net/ipv4.js';
import { ToolError } from './errors.js';
import { node2, webAbc } from './flannel-node2.fixture.js';
import { bridgeFdb, ipAddr, ipLink, ipNeigh, ipRoute, ipRouteGet } from './ip.js';

// The REAL_* constants below are the exact stdout of iproute2 6.1 (`ip`, `bridge`) on this
// machine's 6.x kernel, run in throwaway namespaces built to mirror the fixtures (same names,
// MACs, addresses, routes, neighbours). Trailing spaces are part of the real output.
// Two edits, both because the lab's eth0 was a veth there while the fixture's is a NIC:
// node2's "eth0@if2 … link-netns simext … qdisc noqueue" became "eth0 … qdisc fq_codel";
// and the pod's "link-netns simn2" became "link-netnsid 0" (a node's root netns has no
// name, so pods see the peer namespace by id). The lab's bridge ports had hairpin turned on
// (`bridge link set dev … hairpin on`), as flannel's CNI delegate (hairpinMode: true) does.

const REAL_NODE2_IP_ADDR = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '    inet6 ::1/128 scope host ',
  '       valid_lft forever preferred_lft forever',
  '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
  '    link/ether 08:00:27:3c:91:5a brd ff:ff:ff:ff:ff:ff',
  '    inet 192.168.56.11/24 brd 192.168.56.255 scope global eth0',
  '       valid_lft forever preferred_lft forever',
  '    inet6 fe80::a00:27ff:fe3c:915a/64 scope link ',
  '       valid_lft forever preferred_lft forever',
  '3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000',
  '    link/ether 02:42:5b:1c:9a:07 brd ff:ff:ff:ff:ff:ff',
  '    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0',
  '       valid_lft forever preferred_lft forever',
  '4: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/ether 6e:d1:3a:4f:2b:11 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.244.1.0/32 scope global flannel.1',
  '       valid_lft forever preferred_lft forever',
  '    inet6 fe80::6cd1:3aff:fe4f:2b11/64 scope link ',
  '       valid_lft forever preferred_lft forever',
  '5: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 2a:8e:5d:c0:11:7b brd ff:ff:ff:ff:ff:ff',
  '    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0',
  '       valid_lft forever preferred_lft forever',
  '    inet6 fe80::288e:5dff:fec0:117b/64 scope link ',
  '       valid_lft forever preferred_lft forever',
  '6: veth3f2a9c1d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default qlen 1000',
  '    link/ether 4e:0b:7c:21:9d:e0 brd ff:ff:ff:ff:ff:ff link-netns cni-6a1c0f3e-8b2d-4e57-b1d9-2f0c9a7e1b44',
  '    inet6 fe80::4c0b:7cff:fe21:9de0/64 scope link ',
  '       valid_lft forever preferred_lft forever',
  '7: vethb71e04a2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default qlen 1000',
  '    link/ether d6:4a:90:1e:33:c8 brd ff:ff:ff:ff:ff:ff link-netns cni-0f93b7aa-51c2-4d0e-9e6a-7c8d2b3a5f10',
  '    inet6 fe80::d44a:90ff:fe1e:33c8/64 scope link ',
  '       valid_lft forever preferred_lft forever',
];
const REAL_NODE2_IP_LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000',
  '    link/ether 08:00:27:3c:91:5a brd ff:ff:ff:ff:ff:ff',
  '3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:42:5b:1c:9a:07 brd ff:ff:ff:ff:ff:ff',
  '4: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/ether 6e:d1:3a:4f:2b:11 brd ff:ff:ff:ff:ff:ff',
  '5: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 2a:8e:5d:c0:11:7b brd ff:ff:ff:ff:ff:ff',
  '6: veth3f2a9c1d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether 4e:0b:7c:21:9d:e0 brd ff:ff:ff:ff:ff:ff link-netns cni-6a1c0f3e-8b2d-4e57-b1d9-2f0c9a7e1b44',
  '7: vethb71e04a2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether d6:4a:90:1e:33:c8 brd ff:ff:ff:ff:ff:ff link-netns cni-0f93b7aa-51c2-4d0e-9e6a-7c8d2b3a5f10',
];
const REAL_NODE2_IP_BR_ADDR = [
  'lo               UNKNOWN        127.0.0.1/8 ::1/128 ',
  'eth0             UP             192.168.56.11/24 fe80::a00:27ff:fe3c:915a/64 ',
  'docker0          DOWN           172.17.0.1/16 ',
  'flannel.1        UNKNOWN        10.244.1.0/32 fe80::6cd1:3aff:fe4f:2b11/64 ',
  'cni0             UP             10.244.1.1/24 fe80::288e:5dff:fec0:117b/64 ',
  'veth3f2a9c1d@if2 UP             fe80::4c0b:7cff:fe21:9de0/64 ',
  'vethb71e04a2@if2 UP             fe80::d44a:90ff:fe1e:33c8/64 ',
];
const REAL_NODE2_IP_BR_LINK = [
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'eth0             UP             08:00:27:3c:91:5a <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'docker0          DOWN           02:42:5b:1c:9a:07 <NO-CARRIER,BROADCAST,MULTICAST,UP> ',
  'flannel.1        UNKNOWN        6e:d1:3a:4f:2b:11 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'cni0             UP             2a:8e:5d:c0:11:7b <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'veth3f2a9c1d@if2 UP             4e:0b:7c:21:9d:e0 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vethb71e04a2@if2 UP             d6:4a:90:1e:33:c8 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
];
const REAL_NODE2_IP_ROUTE = [
  'default via 192.168.56.1 dev eth0 proto static ',
  '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
  '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 ',
  '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
  '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ',
  '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11 ',
];
const REAL_NODE2_IP_ROUTE_LOCAL = [
  'local 10.244.1.0 dev flannel.1 proto kernel scope host src 10.244.1.0 ',
  'local 10.244.1.1 dev cni0 proto kernel scope host src 10.244.1.1 ',
  'broadcast 10.244.1.255 dev cni0 proto kernel scope link src 10.244.1.1 ',
  'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ',
  'local 172.17.0.1 dev docker0 proto kernel scope host src 172.17.0.1 ',
  'broadcast 172.17.255.255 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ',
  'local 192.168.56.11 dev eth0 proto kernel scope host src 192.168.56.11 ',
  'broadcast 192.168.56.255 dev eth0 proto kernel scope link src 192.168.56.11 ',
];
const REAL_NODE2_IP_ROUTE_ALL = [
  'default via 192.168.56.1 dev eth0 proto static ',
  '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
  '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 ',
  '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
  '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ',
  '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11 ',
  'local 10.244.1.0 dev flannel.1 table local proto kernel scope host src 10.244.1.0 ',
  'local 10.244.1.1 dev cni0 table local proto kernel scope host src 10.244.1.1 ',
  'broadcast 10.244.1.255 dev cni0 table local proto kernel scope link src 10.244.1.1 ',
  'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 ',
  'local 172.17.0.1 dev docker0 table local proto kernel scope host src 172.17.0.1 ',
  'broadcast 172.17.255.255 dev docker0 table local proto kernel scope link src 172.17.0.1 linkdown ',
  'local 192.168.56.11 dev eth0 table local proto kernel scope host src 192.168.56.11 ',
  'broadcast 192.168.56.255 dev eth0 table local proto kernel scope link src 192.168.56.11 ',
  'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
  'fe80::/64 dev flannel.1 proto kernel metric 256 pref medium',
  'fe80::/64 dev veth3f2a9c1d proto kernel metric 256 pref medium',
  'fe80::/64 dev cni0 proto kernel metric 256 pref medium',
  'fe80::/64 dev vethb71e04a2 proto kernel metric 256 pref medium',
  'local ::1 dev lo table local proto kernel metric 0 pref medium',
  'local fe80::a00:27ff:fe3c:915a dev eth0 table local proto kernel metric 0 pref medium',
  'local fe80::288e:5dff:fec0:117b dev cni0 table local proto kernel metric 0 pref medium',
  'local fe80::4c0b:7cff:fe21:9de0 dev veth3f2a9c1d table local proto kernel metric 0 pref medium',
  'local fe80::6cd1:3aff:fe4f:2b11 dev flannel.1 table local proto kernel metric 0 pref medium',
  'local fe80::d44a:90ff:fe1e:33c8 dev vethb71e04a2 table local proto kernel metric 0 pref medium',
  'multicast ff00::/8 dev eth0 table local proto kernel metric 256 pref medium',
  'multicast ff00::/8 dev flannel.1 table local proto kernel metric 256 pref medium',
  'multicast ff00::/8 dev veth3f2a9c1d table local proto kernel metric 256 pref medium',
  'multicast ff00::/8 dev cni0 table local proto kernel metric 256 pref medium',
  'multicast ff00::/8 dev vethb71e04a2 table local proto kernel metric 256 pref medium',
];
const REAL_NODE2_IP_NEIGH = [
  '10.244.1.2 dev cni0 lladdr b2:7c:41:08:9e:13 REACHABLE ',
  '10.244.2.0 dev flannel.1 lladdr c2:55:8e:7a:10:4d PERMANENT ',
  '10.244.1.3 dev cni0 lladdr 3e:91:d5:6a:02:c4 STALE ',
  '192.168.56.10 dev eth0 lladdr 08:00:27:aa:10:01 REACHABLE ',
  '192.168.56.1 dev eth0 lladdr 52:54:00:12:35:02 STALE ',
  '10.244.0.0 dev flannel.1 lladdr 9a:1f:33:0c:5e:21 PERMANENT ',
];
const REAL_NODE2_BRIDGE_FDB = [
  '33:33:00:00:00:01 dev eth0 self permanent',
  '01:00:5e:00:00:01 dev eth0 self permanent',
  '33:33:ff:3c:91:5a dev eth0 self permanent',
  '33:33:00:00:00:01 dev docker0 self permanent',
  '01:00:5e:00:00:6a dev docker0 self permanent',
  '33:33:00:00:00:6a dev docker0 self permanent',
  '01:00:5e:00:00:01 dev docker0 self permanent',
  '02:42:5b:1c:9a:07 dev docker0 master docker0 permanent',
  'c2:55:8e:7a:10:4d dev flannel.1 dst 192.168.56.12 self permanent',
  '9a:1f:33:0c:5e:21 dev flannel.1 dst 192.168.56.10 self permanent',
  '33:33:00:00:00:01 dev cni0 self permanent',
  '01:00:5e:00:00:6a dev cni0 self permanent',
  '33:33:00:00:00:6a dev cni0 self permanent',
  '01:00:5e:00:00:01 dev cni0 self permanent',
  '33:33:ff:c0:11:7b dev cni0 self permanent',
  '2a:8e:5d:c0:11:7b dev cni0 master cni0 permanent',
  'b2:7c:41:08:9e:13 dev veth3f2a9c1d master cni0 ',
  '4e:0b:7c:21:9d:e0 dev veth3f2a9c1d master cni0 permanent',
  '33:33:00:00:00:01 dev veth3f2a9c1d self permanent',
  '01:00:5e:00:00:01 dev veth3f2a9c1d self permanent',
  '33:33:ff:21:9d:e0 dev veth3f2a9c1d self permanent',
  '3e:91:d5:6a:02:c4 dev vethb71e04a2 master cni0 ',
  'd6:4a:90:1e:33:c8 dev vethb71e04a2 master cni0 permanent',
  '33:33:00:00:00:01 dev vethb71e04a2 self permanent',
  '01:00:5e:00:00:01 dev vethb71e04a2 self permanent',
  '33:33:ff:1e:33:c8 dev vethb71e04a2 self permanent',
];
const REAL_POD_IP_ADDR = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '    inet6 ::1/128 scope host ',
  '       valid_lft forever preferred_lft forever',
  '2: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
  '    link/ether b2:7c:41:08:9e:13 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '    inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0',
  '       valid_lft forever preferred_lft forever',
  '    inet6 fe80::b07c:41ff:fe08:9e13/64 scope link ',
  '       valid_lft forever preferred_lft forever',
];
const REAL_POD_IP_ROUTE = ['default via 10.244.1.1 dev eth0 ', '10.244.0.0/16 via 10.244.1.1 dev eth0 ', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 '];
const REAL_POD_IP_ROUTE_ALL = [
  'default via 10.244.1.1 dev eth0 ',
  '10.244.0.0/16 via 10.244.1.1 dev eth0 ',
  '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 ',
  'local 10.244.1.2 dev eth0 table local proto kernel scope host src 10.244.1.2 ',
  'broadcast 10.244.1.255 dev eth0 table local proto kernel scope link src 10.244.1.2 ',
  'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 ',
  'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
  'local ::1 dev lo table local proto kernel metric 0 pref medium',
  'local fe80::b07c:41ff:fe08:9e13 dev eth0 table local proto kernel metric 0 pref medium',
  'multicast ff00::/8 dev eth0 table local proto kernel metric 256 pref medium',
];
const REAL_POD_IP_D_LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '2: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether b2:7c:41:08:9e:13 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
];
const REAL_NODE2_IP_D_LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 08:00:27:3c:91:5a brd ff:ff:ff:ff:ff:ff link-netns simext promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:42:5b:1c:9a:07 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2:42:5b:1c:9a:7 designated_root 8000.2:42:5b:1c:9a:7 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer   23.43 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 ',
  '4: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/ether 6e:d1:3a:4f:2b:11 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '5: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 2a:8e:5d:c0:11:7b brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2a:8e:5d:c0:11:7b designated_root 8000.2a:8e:5d:c0:11:7b root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '6: veth3f2a9c1d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether 4e:0b:7c:21:9d:e0 brd ff:ff:ff:ff:ff:ff link-netns cni-6a1c0f3e-8b2d-4e57-b1d9-2f0c9a7e1b44 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 ',
  '    veth ',
  '    bridge_slave state forwarding priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2a:8e:5d:c0:11:7b designated_root 8000.2a:8e:5d:c0:11:7b hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '7: vethb71e04a2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether d6:4a:90:1e:33:c8 brd ff:ff:ff:ff:ff:ff link-netns cni-0f93b7aa-51c2-4d0e-9e6a-7c8d2b3a5f10 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 ',
  '    veth ',
  '    bridge_slave state forwarding priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on port_id 0x8002 port_no 0x2 designated_port 32770 designated_cost 0 designated_bridge 8000.2a:8e:5d:c0:11:7b designated_root 8000.2a:8e:5d:c0:11:7b hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
];

const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

describe('ip addr', () => {
  it('node2 matches real `ip addr`', () => {
    expect(ipAddr(node2())).toBe(text(REAL_NODE2_IP_ADDR));
  });

  it('pod web-abc matches real `ip addr` (eth0@if6, link-netnsid 0)', () => {
    expect(ipAddr(webAbc())).toBe(text(REAL_POD_IP_ADDR));
  });

  it('`ip addr show dev cni0` prints only that block', () => {
    const block = REAL_NODE2_IP_ADDR.slice(
      REAL_NODE2_IP_ADDR.findIndex((l) => l.startsWith('5: cni0:')),
      REAL_NODE2_IP_ADDR.findIndex((l) => l.startsWith('6: ')),
    );
    expect(ipAddr(node2(), { dev: 'cni0' })).toBe(text(block));
  });

  it('`ip -br addr` matches real', () => {
    expect(ipAddr(node2(), { brief: true })).toBe(text(REAL_NODE2_IP_BR_ADDR));
  });

  it('unknown device fails like ip', () => {
    expect(() => ipAddr(node2(), { dev: 'nosuch' })).toThrow(ToolError);
    try {
      ipAddr(node2(), { dev: 'nosuch' });
    } catch (e) {
      expect((e as ToolError).stderr).toBe('Device "nosuch" does not exist.');
      expect((e as ToolError).exitCode).toBe(1);
    }
  });

  it('a link that is down has no IPv6 link-local', () => {
    const ns = webAbc();
    const eth0 = ns.links[1]!;
    eth0.flags = ['BROADCAST', 'MULTICAST'];
    eth0.operstate = 'DOWN';
    expect(ipAddr(ns, { dev: 'eth0' })).not.toContain('inet6');
  });
});

describe('ip link', () => {
  it('node2 matches real `ip link`', () => {
    expect(ipLink(node2())).toBe(text(REAL_NODE2_IP_LINK));
  });

  it('`ip -br link` matches real', () => {
    expect(ipLink(node2(), { brief: true })).toBe(text(REAL_NODE2_IP_BR_LINK));
  });

  it('pod matches real `ip -d link`', () => {
    expect(ipLink(webAbc(), { details: true })).toBe(text(REAL_POD_IP_D_LINK));
  });

  it('node2 `ip -d link` matches real for lo, docker0, flannel.1, cni0 and the veth ports', () => {
    // gc_timer is a live countdown; compare everything else. eth0 differs on purpose (see top).
    const norm = (s: string) => s.replace(/gc_timer +\d+\.\d\d/g, 'gc_timer X');
    const blocks = (lines: string[]) => {
      const out: Record<string, string> = {};
      let name = '';
      for (const l of lines) {
        const m = /^\d+: ([^:@]+)/.exec(l);
        if (m) name = m[1]!;
        out[name] = `${(out[name] ?? '') + norm(l)}\n`;
      }
      return out;
    };
    const real = blocks(REAL_NODE2_IP_D_LINK);
    const ours = blocks(ipLink(node2(), { details: true }).slice(0, -1).split('\n'));
    for (const dev of ['lo', 'docker0', 'flannel.1', 'cni0', 'veth3f2a9c1d', 'vethb71e04a2']) {
      expect(ours[dev], dev).toBe(real[dev]);
    }
  });

  it('`ip -d link show flannel.1` carries the vxlan line of the reference', () => {
    expect(ipLink(node2(), { details: true, dev: 'flannel.1' })).toContain('    vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 ');
  });

  it('a physical NIC (abridged, assumed e1000) has no kind line', () => {
    const out = ipLink(node2(), { details: true, dev: 'eth0' });
    expect(out.split('\n')).toHaveLength(3);
    expect(out).toContain(' promiscuity 0  allmulti 0 minmtu 46 maxmtu 16110 addrgenmode eui64 ');
  });

  it('a veth whose peer is in the same netns shows @peername', () => {
    const ns = webAbc();
    const eth0 = ns.links[1]!;
    delete eth0.linkNetnsId;
    ns.links.push({ ...eth0, ifindex: 6, name: 'veth0', peerIfindex: 2 });
    expect(ipLink(ns, { dev: 'eth0' })).toMatch(/^2: eth0@veth0: /);
  });
});

describe('ip route', () => {
  it('node2 matches real `ip route` (sorted as the kernel dumps)', () => {
    expect(ipRoute(node2())).toBe(text(REAL_NODE2_IP_ROUTE));
  });

  it('pod matches real `ip route` (CNI routes carry no proto)', () => {
    expect(ipRoute(webAbc())).toBe(text(REAL_POD_IP_ROUTE));
  });

  it('derives the local table like the kernel', () => {
    expect(ipRoute(node2(), { table: 'local' })).toBe(text(REAL_NODE2_IP_ROUTE_LOCAL));
  });

  it('`table all` lists main, local, then the derived IPv6 routes', () => {
    expect(ipRoute(node2(), { table: 'all' })).toBe(text(REAL_NODE2_IP_ROUTE_ALL));
    expect(ipRoute(webAbc(), { table: 'all' })).toBe(text(REAL_POD_IP_ROUTE_ALL));
  });

  it('orders same-destination routes longest prefix first, then by metric (as observed)', () => {
    const ns: Netns = { ...webAbc(), routes: [] };
    const r = (dst: string, prefixLen: number, metric?: number) => ns.routes.push({ dst: parseIPv4(dst), prefixLen, dev: 'eth0', metric, table: 'main', type: 'unicast' });
    r('10.244.0.0', 16);
    r('10.244.0.0', 24, 5);
    r('10.244.0.0', 24);
    r('10.244.0.0', 25);
    expect(ipRoute(ns)).toBe(
      text(['10.244.0.0/25 dev eth0 scope link ', '10.244.0.0/24 dev eth0 scope link ', '10.244.0.0/24 dev eth0 scope link metric 5 ', '10.244.0.0/16 dev eth0 scope link ']),
    );
  });
});

describe('ip route get', () => {
  // Real output of `ip route get` in the same namespaces.
  it.each([
    ['10.244.0.5', ['10.244.0.5 via 10.244.0.0 dev flannel.1 src 10.244.1.0 uid 0 ', '    cache ']],
    ['10.244.1.2', ['10.244.1.2 dev cni0 src 10.244.1.1 uid 0 ', '    cache ']],
    ['8.8.8.8', ['8.8.8.8 via 192.168.56.1 dev eth0 src 192.168.56.11 uid 0 ', '    cache ']],
    ['192.168.56.200', ['192.168.56.200 dev eth0 src 192.168.56.11 uid 0 ', '    cache ']],
    ['172.17.0.5', ['172.17.0.5 dev docker0 src 172.17.0.1 uid 0 ', '    cache ']],
    ['10.244.1.1', ['local 10.244.1.1 dev lo src 10.244.1.1 uid 0 ', '    cache <local> ']],
    ['10.244.1.0', ['local 10.244.1.0 dev lo src 10.244.1.0 uid 0 ', '    cache <local> ']],
    ['127.0.0.1', ['local 127.0.0.1 dev lo src 127.0.0.1 uid 0 ', '    cache <local> ']],
  ])('node2: %s', (dst, lines) => {
    expect(ipRouteGet(node2(), dst)).toBe(text(lines));
  });

  it.each([
    ['10.244.2.5', ['10.244.2.5 via 10.244.1.1 dev eth0 src 10.244.1.2 uid 0 ', '    cache ']],
    ['10.244.1.255', ['broadcast 10.244.1.255 dev eth0 src 10.244.1.2 uid 0 ', '    cache <local,brd> ']],
    ['127.0.0.5', ['local 127.0.0.5 dev lo src 127.0.0.1 uid 0 ', '    cache <local> ']],
  ])('pod: %s', (dst, lines) => {
    expect(ipRouteGet(webAbc(), dst)).toBe(text(lines));
  });

  it('fails like ip without a route or with a bad address', () => {
    const ns = webAbc();
    ns.routes = ns.routes.filter((r) => r.prefixLen !== 0);
    expect(() => ipRouteGet(ns, '8.8.8.8')).toThrow('RTNETLINK answers: Network is unreachable');
    expect(() => ipRouteGet(ns, '1.2.3.300')).toThrow('Error: any valid prefix is expected rather than "1.2.3.300".');
  });
});

describe('ip neigh / bridge fdb', () => {
  it('node2 matches real `ip neigh`', () => {
    expect(ipNeigh(node2())).toBe(text(REAL_NODE2_IP_NEIGH));
  });

  it('`ip neigh show dev eth0` drops the dev field; INCOMPLETE has no lladdr', () => {
    const ns = node2();
    ns.neighbours.push({ ip: parseIPv4('192.168.56.7'), dev: 'eth0', state: 'INCOMPLETE' });
    expect(ipNeigh(ns, { dev: 'eth0' })).toBe(
      text(['192.168.56.10 lladdr 08:00:27:aa:10:01 REACHABLE ', '192.168.56.1 lladdr 52:54:00:12:35:02 STALE ', '192.168.56.7 INCOMPLETE ']),
    );
  });

  it('node2 matches real `bridge fdb show`', () => {
    expect(bridgeFdb(node2())).toBe(text(REAL_NODE2_BRIDGE_FDB));
  });

  it('prints vlan between dst and flags (vlan-filtering bridge, as in the reference)', () => {
    const ns = node2();
    ns.fdb = [
      { mac: '2a:8e:5d:c0:11:7b', dev: 'cni0', vlan: 1, master: 'cni0', permanent: true },
      { mac: 'b2:7c:41:08:9e:13', dev: 'veth3f2a9c1d', vlan: 1, master: 'cni0' },
    ];
    expect(bridgeFdb(ns)).toBe(text(['2a:8e:5d:c0:11:7b dev cni0 vlan 1 master cni0 permanent', 'b2:7c:41:08:9e:13 dev veth3f2a9c1d vlan 1 master cni0 ']));
  });
});
