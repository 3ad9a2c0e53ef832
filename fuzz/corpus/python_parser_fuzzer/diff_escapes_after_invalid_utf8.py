
''':{÷÷÷÷÷÷÷÷÷÷÷÷÷÷÷÷÷÷{{{{{{{{{{{{{d,d%{{{
ªªªªªªª\\{{{{{{{{{{'\{{{{{{{{d,d6{{{;\\\\\\\@=\\{{{{{{{{{{{ªªªª\\\\\\\\\o\o\\\{{{{{;{{{{\\\\\\\\\\\`\\\o\\\\\‹\{{{{{{{{d,»d%{{{;\\\\\\\@=\\{{{{{{{{{{{{{{'\{{{{{{{{d,d0{{{;\\\\\\\@=\\{{{{{{{{{{{{{{{{{{{{{d,d%{{{
ªªªªªªª\\ÿ˜\\\\\\pnrr^=n**=ron;r{{Fd,d,nof0{{{{{{{{{{{{{{y{{{&=\/\\\\\\\\...\\\N{{{{{{ÿÿÿÿÿÿÿ¿ÿÿ5ÿÿÿÿÿ{{{{{{{':{'{{{{{{{{{{{{{{{{{{88¶{{{{{{{({{{{{{{{{{\\\\\\Z,
X

=\\\ÔF\\\\\->\\\\\\\\\ÿÿÿ\Z\\\->\\\\\\\ÿÿÿépÿÿÿÿÿÿÿ¿ÿÿ0ÿÿÿÿÿ{{{{{{{':{'d,+t+t(+opt,dh,),oo;d,+t+t(+opt,dh,),oÿ{{{{{{{':{'{{{{{{{{:{{{{{{{{{{88¶{{{{{{{({{{{{{{{{{\\\\\\Z,
X

=\\\ÔF]\\\\-ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ>\\\\\\\\\ÿÿÿ\\\\\->\\\\\\\\\ÿÿÿépÿÿÿÿÿÿÿ¿ÿÿ0ÿÿÿÿÿ{{{{{{{':{'{{{{{{{{{{{ event in eests
from fastapi import AP||ihing


class History:
    def __init__(self):
        self.entries = []

    def replay(self, events):
       process.run(["wÿÿÿÿkhtmltopdf", f"/tmp/{doc_id}.html", f"/tzmp/{doc_(eeeeeeee in in for event in eests
from fastavoices)
0 vents:ron;mporn;o
iismpnr^=
impn**=n;mpor^=n;
impn**=ron;lron;
impnr^=n;
impn**=ron;rn;o
ismpnrsmpnr^=n;
impn**=ron;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;mpornmpn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnr^=n;
impn**=n;mpor^ÿÿÿÿÿÿÿ=n;
impn**=ron;lron;
impnr^=n;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnrr^=n**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
iismpnr^=n;
impn**=ron;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnr^=n;
impn**=n;mpor^=n;
impn**=ron;lron;
impnr^=v;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnrr^=n**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnr^=n;
impn**=ron;im
pn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnr^=n;
impn**=A;mpor^=n;
impn**=ron;lron;
impnr^=n;
impn**=ron;rn;o
ismpnrsmpnr^=n;
impn**=ron;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;mporn;o
ismpnr^=n;
impn**=n;mpor^=n;
impn**=ron;lro&;
impnr^=n;
impn**=ron;rn;o
ismpnr^=n;
impn**=ron;;
impn**=ron\'\\\@=\\{{{{{{{;{{{{{{{'\{{{{{{{{{{{''' ,on;mpompror