#!/usr/bin/env python3
"""Writes NAME.expected.json for a lab capture from what tshark shows in it.

    expect.py SCENARIO CAPTURE [--keylog KEYLOG]

The frames of every step and finding are read from tshark's fields (with the
capture's TLS keys when given, so that the encrypted TLS 1.3 handshake shows its
message types); what a careful reader concludes from them (the findings) is
written per scenario below. trustcap is never run here. Each scenario asserts
that the capture shows what the scenario was meant to produce, so a recording
that went differently fails loudly instead of writing a wrong expectation.
"""
import json
import subprocess
import sys

DEVICE = "10.99.1.2"
PROXY = ("10.99.1.1", 3128)
NAME = "smartreceiver.cisco.com"
FIELDS = ["frame.number", "ip.src", "ip.dst", "ip.ttl", "ip.proto", "tcp.srcport", "tcp.dstport",
          "udp.srcport", "udp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin",
          "tcp.flags.reset", "tcp.len", "tls.record.content_type", "tls.handshake.type",
          "tls.alert_message.desc", "http.request.method", "http.response.code", "dns.flags.response",
          "dns.flags.rcode", "dns.id", "icmp.type", "icmp.code"]


class Frame:
    def __init__(self, values):
        v = dict(zip(FIELDS, values))
        self.n = int(v["frame.number"])
        self.src, self.dst = v["ip.src"].split(",")[0], v["ip.dst"].split(",")[0]
        self.ttl = v["ip.ttl"].split(",")[0]
        self.icmp = v["icmp.type"] != ""
        self.icmp_code = v["icmp.code"].split(",")[0]
        # For ICMP errors tshark also shows the quoted packet's fields: keep the outer ones.
        self.sport = int(v["tcp.srcport"].split(",")[0] or v["udp.srcport"].split(",")[0] or 0)
        self.dport = int(v["tcp.dstport"].split(",")[0] or v["udp.dstport"].split(",")[0] or 0)
        self.tcp = v["tcp.srcport"] != "" and not self.icmp
        self.udp = v["udp.srcport"] != "" and not self.icmp
        flag = lambda name: v[name].split(",")[0] in ("1", "True")
        self.syn, self.ack, self.fin, self.rst = (flag("tcp.flags." + f) for f in ("syn", "ack", "fin", "reset"))
        self.len = int(v["tcp.len"].split(",")[0] or 0)
        split = lambda name: [x for x in v[name].split(",") if x]
        self.content = split("tls.record.content_type")
        self.hs = [int(x) for x in split("tls.handshake.type")]
        self.alerts = [int(x) for x in split("tls.alert_message.desc")]
        self.method = v["http.request.method"]
        self.code = v["http.response.code"]
        self.dns = v["dns.id"] != "" and not self.icmp
        self.dns_response = v["dns.flags.response"] in ("1", "True")
        self.rcode = v["dns.flags.rcode"]


def read(capture, keylog):
    cmd = ["tshark", "-r", capture, "-T", "fields", "-E", "aggregator=,", "-E", "occurrence=a"]
    if keylog:
        cmd += ["-o", "tls.keylog_file:" + keylog]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [Frame(line.split("\t")) for line in out.splitlines()]


def need(condition, what):
    if not condition:
        sys.exit(f"expect.py: the capture does not show {what}")


class Flow:
    """The device's first TCP connection in the capture, as tshark shows it."""

    def __init__(self, frames):
        syn = next((f for f in frames if f.tcp and f.syn and not f.ack and f.src == DEVICE), None)
        need(syn, "a SYN from the device")
        self.client, self.server = (syn.src, syn.sport), (syn.dst, syn.dport)
        self.frames = frames
        self.icmp = [f for f in frames if f.icmp and f.dst == DEVICE]
        self.pkts = [f for f in frames if f.tcp and {(f.src, f.sport), (f.dst, f.dport)} == {self.client, self.server}]

    def up(self, f):  # device -> server
        return (f.src, f.sport) == self.client

    def first(self, test, side=None, after=0):
        for f in self.pkts:
            if f.n > after and (side is None or self.up(f) == (side == "device")) and test(f):
                return f.n
        return None

    def hs(self, t, side, after=0):
        return self.first(lambda f: t in f.hs, side, after)

    def syns(self):
        return [f.n for f in self.pkts if f.syn and not f.ack and self.up(f)]

    def handshake(self):
        syn = self.syns()[0]
        synack = self.first(lambda f: f.syn and f.ack, "server")
        need(synack, "a SYN-ACK")
        ack = self.first(lambda f: f.ack and not f.syn, "device", synack)
        return [syn, synack, ack]

    def app_records(self, side, after):
        """Frames from side after `after` that end an application-data record."""
        return [f.n for f in self.pkts if f.n > after and self.up(f) == (side == "device") and "23" in f.content
                and not f.hs]

    def rst(self):
        return self.first(lambda f: f.rst)

    def teardown(self):
        """FIN, the other side's FIN, the ACK of the second FIN — or the first RST."""
        rst = self.rst()
        first_fin = self.first(lambda f: f.fin)
        if rst and (not first_fin or rst < first_fin or not self.fin_pair(first_fin)):
            return "fail", [rst]
        need(first_fin, "a FIN")
        pair = self.fin_pair(first_fin)
        need(pair, "both FINs and the last ACK")
        return "pass", pair

    def fin_pair(self, first_fin):
        side1 = "device" if self.up(next(f for f in self.pkts if f.n == first_fin)) else "server"
        side2 = "server" if side1 == "device" else "device"
        second = self.first(lambda f: f.fin, side2, first_fin)
        last = second and self.first(lambda f: f.ack and not f.fin, side1, second)
        return [first_fin, second, last] if last else None

    def endpoints(self):
        return {"client": "%s:%d" % self.client, "server": "%s:%d" % self.server}


def dns_queries(frames):
    return [f for f in frames if f.dns and not f.dns_response and f.src == DEVICE]


def steps(connect=None, tcp=None, tls=None, appdata=None, teardown=None):
    out = {}
    for name, value in (("connect", connect), ("tcp", tcp), ("tls", tls), ("appdata", appdata), ("teardown", teardown)):
        if value is None:
            out[name] = {"status": "n/a"}
        else:
            status, frames = value
            out[name] = {"status": status, "frames": frames}
    return out


def flow_entry(flow, step_map, findings, proxy=None):
    # A teardown by RST is a finding of its own (who reset, after what).
    down = step_map["teardown"]
    if down["status"] == "fail" and not any(f["id"] == "tcp.reset" for f in findings):
        findings = findings + [{"id": "tcp.reset", "frames": down["frames"]}]
    entry = flow.endpoints()
    entry["server_name"] = NAME
    if proxy:
        entry["proxy"] = proxy
    entry["steps"] = step_map
    entry["findings"] = findings
    return entry


def tls12_pass(flow):
    ch, sh = flow.hs(1, "device"), flow.hs(2, "server")
    dfin, sfin = flow.hs(20, "device"), flow.hs(20, "server")
    need(ch and sh and dfin and sfin, "a complete TLS 1.2 handshake")
    return sorted([ch, sh, dfin, sfin])


def tls13_pass(flow):
    # With the keys tshark shows the encrypted Finished messages: the server's ends its
    # flight, the device's ends the device's flight (Certificate, CertificateVerify, Finished).
    return tls12_pass(flow)


def appdata(flow, after):
    req = flow.first(lambda f: f.method in ("GET", "POST"), "device", after)
    need(req, "the device's request")
    answers = flow.app_records("server", req)
    return req, answers


def connect_step(flow):
    req = flow.first(lambda f: f.method == "CONNECT", "device")
    need(req, "a CONNECT")
    resp = flow.first(lambda f: f.code != "", "server", req)
    need(resp, "the proxy's answer")
    code = int(next(f.code for f in flow.pkts if f.n == resp))
    proxy = {"ip": PROXY[0], "port": PROXY[1], "connect_target": NAME + ":443", "status": code}
    return req, resp, code, proxy


# ---------------------------------------------------------------------------
# Scenarios: (description, exit status, flows, capture findings)

def healthy(frames, version, via_proxy=False):
    flow = Flow(frames)
    conn, proxy = None, None
    if via_proxy:
        req, resp, code, proxy = connect_step(flow)
        need(code == 200, "CONNECT answered 200")
        conn = ("pass", [req, resp])
    tls = tls12_pass(flow)
    req, answers = appdata(flow, tls[-1])
    need(answers, "the server's answer")
    status, down = flow.teardown()
    need(status == "pass", "a FIN teardown")
    s = steps(conn, ("pass", flow.handshake()), ("pass", tls), ("pass", [req, answers[0]]), (status, down))
    text = (f"{'Through squid ' + PROXY[0] + ':3128 (CONNECT ' + str(conn[1][0]) + ', 200 ' + str(conn[1][1]) + '), ' if via_proxy else 'DNS (1-2), '}"
            f"TLS {version} with a client certificate: Client Hello {tls[0]}, Server Hello {tls[1]}, "
            f"Finished messages {tls[2]} and {tls[3]}; GET /SmartTransport {req}, response {answers[0]}; "
            f"teardown {down}.")
    return text, 0, [flow_entry(flow, s, [{"id": "flow.healthy"}], proxy)], []


def syn_failure(frames, kind):
    flow = Flow(frames)
    syns = flow.syns()
    if kind == "drop":
        need(len(syns) >= 2 and not flow.first(lambda f: not flow.up(f)) and not flow.icmp, "unanswered SYNs")
        tcp, finding = syns, {"id": "tcp.no_synack", "frames": syns}
        text = f"DNS (1-2); the firewall drops the SYN ({syns[0]}) and its retransmissions ({', '.join(map(str, syns[1:]))}): no SYN-ACK."
    elif kind == "reset":
        rst = flow.first(lambda f: f.rst, "server")
        need(rst and len(syns) == 1, "a RST answering the SYN")
        tcp, finding = [syns[0], rst], {"id": "tcp.rst_to_syn", "frames": [syns[0], rst]}
        text = f"DNS (1-2); the firewall answers the SYN ({syns[0]}) with a RST-ACK in the server's name ({rst})."
    else:
        icmp = flow.icmp[0] if flow.icmp else None
        need(icmp and icmp.icmp_code == "13", "ICMP administratively prohibited")
        tcp, finding = [syns[0], icmp.n], {"id": "tcp.icmp_unreachable", "frames": [icmp.n]}
        text = (f"DNS (1-2); the firewall {icmp.src} answers the SYN ({syns[0]}) with ICMP destination unreachable, "
                f"code 13 (communication administratively prohibited) ({icmp.n}).")
    s = steps(None, ("fail", tcp))
    return text, 1, [flow_entry(flow, s, [finding])], []


def proxy_auth(frames):
    flow = Flow(frames)
    req, resp, code, proxy = connect_step(flow)
    need(code == 407, "407")
    status, down = flow.teardown()
    s = steps(("fail", [req, resp]), ("pass", flow.handshake()), None, None, (status, down))
    text = (f"CONNECT {NAME}:443 ({req}) to squid {PROXY[0]}:3128 answered 407 Proxy Authentication Required ({resp}); "
            f"teardown {down}.")
    return text, 1, [flow_entry(flow, s, [{"id": "proxy.auth_required", "frames": [resp]}], proxy)], []


def expired_device(frames):
    flow = Flow(frames)
    ch = flow.hs(1, "device")
    cert = flow.hs(11, "device")
    alert = flow.first(lambda f: 48 in f.alerts, "server")
    need(ch and cert and alert, "the server's unknown_ca alert after the device's Certificate")
    status, down = flow.teardown()
    s = steps(None, ("pass", flow.handshake()), ("fail", [ch, alert]), None, (status, down))
    findings = [{"id": "tls.alert.unknown_ca", "frames": [alert]}, {"id": "tls.client_cert_expired", "frames": [cert]}]
    text = (f"DNS (1-2); TLS 1.2: the device sends a certificate valid 2022-01-01 .. 2023-01-01 issued by a device CA "
            f"the server does not trust (Certificate ends in {cert}); the server answers with a fatal unknown_ca alert "
            f"({alert}); teardown {down}.")
    return text, 1, [flow_entry(flow, s, findings)], []


def bump(frames, version):
    flow = Flow(frames)
    req, resp, code, proxy = connect_step(flow)
    need(code == 200, "CONNECT answered 200")
    ch = flow.hs(1, "device", resp)
    sh = flow.hs(2, "server", resp)
    alert = flow.first(lambda f: 48 in f.alerts, "device", sh or 0)
    need(ch and sh and alert, "the device's unknown_ca alert")
    status, down = flow.teardown()
    s = steps(("pass", [req, resp]), ("pass", flow.handshake()), ("fail", [ch, alert]), None, (status, down))
    findings = [{"id": "tls.alert.unknown_ca", "frames": [alert]}]
    if version == "1.2":
        cert = flow.hs(11, "server", resp)
        need(cert and 13 not in sum((f.hs for f in flow.pkts), []), "the bump certificate, no Certificate Request")
        findings += [{"id": "tls.untrusted_chain", "frames": [cert]}, {"id": "tls.interception", "frames": [cert]}]
        seen = f"Certificate (ends in {cert}) minted by 'Corp Squid SSL-Bump CA', no Certificate Request"
    else:
        # The certificate is encrypted; the device's alert is in clear (OpenSSL 3.0 sends it before
        # switching its own writing to the handshake key).
        findings += [{"id": "tls13.client_abort", "frames": [alert]}]
        seen = f"the server's encrypted flight ends in {flow.hs(20, 'server', resp)} (certificate minted by 'Corp Squid SSL-Bump CA', visible with the keys only)"
    text = (f"squid ssl-bump: CONNECT ({req}), 200 ({resp}); TLS {version} Client Hello {ch}, squid's Server Hello {sh}, "
            f"{seen}; the device sends a fatal unknown_ca alert ({alert}); teardown {down}.")
    return text, 1, [flow_entry(flow, s, findings, proxy)], []


def reset_injected(frames):
    flow = Flow(frames)
    ch = flow.hs(1, "device")
    rst = flow.first(lambda f: f.rst, "server")
    need(ch and rst, "a RST in the server's name")
    rst_ttl = next(f.ttl for f in flow.pkts if f.n == rst)
    server_ttls = {f.ttl for f in flow.pkts if not flow.up(f) and not f.rst}
    need(rst_ttl not in server_ttls, "a RST whose TTL differs from the server's")
    s = steps(None, ("pass", flow.handshake()), ("fail", [ch, rst]), None, ("fail", [rst]))
    findings = [{"id": "tcp.reset", "frames": [rst]}, {"id": "tcp.reset_injected", "frames": [rst]}]
    kind = "RST-ACK" if next(f.ack for f in flow.pkts if f.n == rst) else "RST (no ACK flag)"
    text = (f"DNS (1-2); TLS 1.2 Client Hello {ch}, server flight ends in {flow.hs(14, 'server')}; the segment of the device's "
            f"flight that carries its certificate's name is dropped by the firewall (iptables string match), which answers it with a {kind} in the server's name ({rst}, IP TTL "
            f"{rst_ttl}; the server's packets have TTL {', '.join(sorted(server_ttls))}).")
    return text, 1, [flow_entry(flow, s, findings)], []


def no_response(frames):
    flow = Flow(frames)
    tls = tls12_pass(flow)
    req, answers = appdata(flow, tls[-1])
    need(not answers, "no answer")
    status, down = flow.teardown()
    s = steps(None, ("pass", flow.handshake()), ("pass", tls), ("fail", [req]), (status, down))
    text = (f"DNS (1-2); TLS 1.2 handshake completes (Client Hello {tls[0]}, Server Hello {tls[1]}, device Finished "
            f"{tls[2]}, server Finished {tls[3]}); the request ({req}) is only ACKed; the device gives up after 4 s; "
            f"teardown {down}.")
    return text, 1, [flow_entry(flow, s, [{"id": "app.no_response", "frames": [req]}])], []


def dns_nxdomain(frames):
    q = dns_queries(frames)
    r = [f for f in frames if f.dns and f.dns_response and f.rcode == "3"]
    need(q and r and not any(f.tcp for f in frames), "NXDOMAIN and no TCP")
    text = f"The A query for {NAME} ({q[0].n}) gets NXDOMAIN from dnsmasq ({r[0].n}). No TCP."
    return text, 1, [], [{"id": "dns.nxdomain", "frames": [q[0].n, r[0].n]}]


def dns_no_answer(frames):
    q = dns_queries(frames)
    need(q and not any(f.dns_response for f in frames) and not any(f.tcp for f in frames), "unanswered queries")
    text = (f"The A query for {NAME} ({q[0].n}) and its retransmissions ({', '.join(str(f.n) for f in q[1:])}) are "
            f"dropped by the firewall: no answer, no TCP.")
    return text, 1, [], [{"id": "dns.no_answer", "frames": [q[0].n]}]


SCENARIOS = {
    "tls12-healthy": lambda fr: healthy(fr, "1.2"),
    "tls13-healthy": lambda fr: healthy(fr, "1.3"),
    "tls12-via-proxy": lambda fr: healthy(fr, "1.2", via_proxy=True),
    "syn-dropped": lambda fr: syn_failure(fr, "drop"),
    "syn-reset": lambda fr: syn_failure(fr, "reset"),
    "syn-icmp-admin-prohibited": lambda fr: syn_failure(fr, "icmp"),
    "proxy-auth-required": proxy_auth,
    "tls12-expired-device-certificate": expired_device,
    "squid-bump-tls12": lambda fr: bump(fr, "1.2"),
    "squid-bump-tls13": lambda fr: bump(fr, "1.3"),
    "tls12-reset-injected": reset_injected,
    "tls12-no-response": no_response,
    "dns-nxdomain": dns_nxdomain,
    "dns-no-answer": dns_no_answer,
}

PROXY_SCENARIOS = {"tls12-via-proxy", "proxy-auth-required", "squid-bump-tls12", "squid-bump-tls13"}


def main():
    args = sys.argv[1:]
    keylog = None
    if "--keylog" in args:
        i = args.index("--keylog")
        keylog = args[i + 1]
        del args[i:i + 2]
    scenario, capture = args
    frames = read(capture, keylog)
    text, status, flows, findings = SCENARIOS[scenario](frames)
    cli = ["--ca-bundle", "@PCAPS@/lab/lab-root-ca.pem"]
    if scenario in PROXY_SCENARIOS:
        cli += ["--proxy", "%s:%d" % PROXY]
    doc = {"description": text, "args": cli, "exit_status": status,
           "capture": {"frames": len(frames), "complete": True}, "flows": flows, "findings": findings}
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
