/*
** A world's net/ (world_net.c), and what a fresh network namespace shows
** where the world says nothing (world_net_fresh.c).  Private to those.
*/
#ifndef PLUA_WORLD_NET_H
#define PLUA_WORLD_NET_H

extern const char plua_net_fresh_snmp[], plua_net_fresh_netstat[], plua_net_fresh_snmp6[],
	plua_net_fresh_protocols[], plua_net_fresh_ipv6_route[], plua_net_fresh_xfrm_stat[],
	plua_net_fresh_igmp6[], plua_net_fresh_psched[], plua_net_fresh_rt6_stats[],
	plua_net_fresh_dev_snmp6[];

#endif
