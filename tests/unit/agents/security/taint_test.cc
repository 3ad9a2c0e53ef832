// The taint engine on its own: what propagates, what stops it, what folds, and that each flow
// is reported once at its sink.
#include "agents/security/taint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/analysis/parsed_module.h"

namespace conclave::security {
namespace {

struct Result {
  std::vector<Flow> flows;
  std::string source;  // the flows' nodes borrow the module, which borrows this text
};

// The flows of `code`, with the line of each sink.
struct Sink {
  FlowKind kind;
  FlowLevel level;
  int line;
  int source_line;
  std::string parameter;
  bool operator==(const Sink&) const = default;
};

std::vector<Sink> Flows(const std::string& code, TaintLimits limits = {}) {
  auto module = analysis::ParsedModule::Parse("app.py", code);
  EXPECT_TRUE(module.ok()) << module.status();
  if (!module.ok()) return {};
  std::vector<Sink> out;
  for (const Flow& f : AnalyzeTaint(*module, limits)) {
    out.push_back(
        {f.kind, f.level, analysis::NodeLine(f.at), f.origin.line, std::string(f.parameter)});
  }
  return out;
}

std::vector<Sink> Remote(const std::string& code) {
  std::vector<Sink> out;
  for (const Sink& s : Flows(code)) {
    if (s.level == FlowLevel::kRemoteSource) out.push_back(s);
  }
  return out;
}

std::string Describe(const std::vector<Sink>& sinks) {
  std::string out;
  for (const Sink& s : sinks) {
    out += "kind " + std::to_string(static_cast<int>(s.kind)) + " level " +
           std::to_string(static_cast<int>(s.level)) + " line " + std::to_string(s.line) +
           " from line " + std::to_string(s.source_line) + " param '" + s.parameter + "'\n";
  }
  return out;
}

constexpr FlowLevel kRemote = FlowLevel::kRemoteSource;

TEST(TaintPropagationTest, AssignmentsUnpackingAugmentedAndWalrus) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "def view():\n"
      "    a, b = request.args['x'], 'fixed'\n"
      "    os.system(b)\n"  // the literal half of the tuple
      "    cmd = 'ls '\n"
      "    cmd += a\n"
      "    os.system(cmd)\n"
      "    if (n := request.form.get('n')):\n"
      "        os.system('echo ' + n)\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kCommand, kRemote, 8, 4, ""}));
  EXPECT_EQ(flows[1], (Sink{FlowKind::kCommand, kRemote, 10, 9, ""}));
}

TEST(TaintPropagationTest, StringBuildingInEveryForm) {
  const auto flows = Remote(
      "from flask import request\n"
      "def view(cur):\n"
      "    t = request.args['t']\n"
      "    cur.execute('a' + t)\n"
      "    cur.execute('a %s' % t)\n"
      "    cur.execute('a {}'.format(t))\n"
      "    cur.execute(f'a {t}')\n"
      "    cur.execute(' '.join(['a', t]))\n"
      "    cur.execute(str(t).strip().lower())\n");
  ASSERT_EQ(flows.size(), 6u) << Describe(flows);
  for (const Sink& s : flows) EXPECT_EQ(s.kind, FlowKind::kSql);
}

TEST(TaintPropagationTest, ContainerElementsAndAttributesAreTrackedByKey) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "class Job:\n"
      "    def run(self):\n"
      "        self.cmd = request.args['c']\n"
      "        self.name = 'job'\n"
      "        os.system(self.name)\n"
      "        os.system(self.cmd)\n"
      "def view():\n"
      "    parts = ['ls', request.args['dir']]\n"
      "    os.system(parts[0])\n"
      "    os.system(parts[1])\n"
      "    opts = {'mode': 'fast', 'user': request.args['u']}\n"
      "    os.system(opts['mode'])\n"
      "    os.system(opts['user'])\n"
      "    os.system(' '.join(parts))\n");
  ASSERT_EQ(flows.size(), 4u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 8);
  EXPECT_EQ(flows[1].line, 12);
  EXPECT_EQ(flows[2].line, 15);
  EXPECT_EQ(flows[3].line, 16);
}

TEST(TaintPropagationTest, UploadedFileNamesAndTheReferrer) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request, redirect\n"
      "from werkzeug.utils import secure_filename\n"
      "def upload():\n"
      "    f = request.files['file']\n"
      "    f.save(os.path.join('/srv', f.filename))\n"
      "    f.save(os.path.join('/srv', secure_filename(f.filename)))\n"
      "    return redirect(request.referrer or '/')\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kPath, kRemote, 6, 5, ""}));
  EXPECT_EQ(flows[1], (Sink{FlowKind::kRedirect, kRemote, 8, 8, ""}));
}

TEST(TaintPropagationTest, SourcesOfEveryFramework) {
  const auto flows = Flows(
      "import os, sys\n"
      "from fastapi import FastAPI\n"
      "app = FastAPI()\n"
      "@app.get('/x')\n"
      "def fast(name: str, count: int, db=Depends(get_db), n: Optional[int] = None,\n"
      "         m: Annotated[int, Query(gt=0)] = 1, k: int | None = None):\n"
      "    os.system(name)\n"
      "    os.system(count)\n"
      "    os.system(db)\n"
      "    os.system(n + m + k)\n"
      "def django(request):\n"
      "    os.system(request.GET['a'])\n"
      "    os.system(request.META.get('HTTP_X'))\n"
      "    os.system(request.user.name)\n"
      "def local():\n"
      "    os.system(input())\n"
      "    os.system(sys.argv[1])\n"
      "    os.system(os.environ['HOME'])\n"
      "    os.system(os.getenv('X'))\n");
  std::vector<int> remote, local;
  for (const Sink& s : flows) {
    if (s.level == FlowLevel::kRemoteSource) remote.push_back(s.line);
    if (s.level == FlowLevel::kLocalSource) local.push_back(s.line);
  }
  EXPECT_EQ(remote, (std::vector<int>{7, 12, 13})) << Describe(flows);
  EXPECT_EQ(local, (std::vector<int>{16, 17, 18, 19})) << Describe(flows);
}

TEST(TaintPropagationTest, ClosuresAndContainerMutation) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "def view():\n"
      "    name = request.args['n']\n"
      "    args = ['dig']\n"
      "    args.append(name)\n"
      "    os.system(' '.join(args))\n"
      "    def resolve():\n"
      "        return os.popen('host ' + name)\n"
      "    return resolve()\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 7);
  EXPECT_EQ(flows[1].line, 9);
}

TEST(TaintPropagationTest, RouteParametersFollowTheirConverterOrAnnotation) {
  const auto flows = Remote(
      "import os\n"
      "from flask import Flask\n"
      "app = Flask(__name__)\n"
      "@app.route('/u/<int:uid>/<name>')\n"
      "def user(uid, name):\n"
      "    os.system('id ' + str(uid))\n"
      "    os.system('id ' + name)\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kCommand, kRemote, 7, 5, ""}));  // the def line
}

TEST(TaintPropagationTest, ClientObjectsPathlibAndComprehensions) {
  const auto flows = Remote(
      "import requests, httpx\n"
      "from pathlib import Path\n"
      "from flask import request as rq\n"
      "API = 'https://api.example.com'\n"
      "session = requests.Session()\n"
      "def view(cur):\n"
      "    u = rq.args['u']\n"
      "    session.post(u)\n"
      "    with httpx.Client() as client:\n"
      "        client.get(u)\n"
      "    requests.get(f'{API}/users/{u}')\n"
      "    (Path('/srv') / u).read_text()\n"
      "    ids = rq.args.getlist('id')\n"
      "    marks = ', '.join('?' for _ in ids)\n"
      "    cur.execute(f'SELECT * FROM t WHERE id IN ({marks})', ids)\n"
      "    names = ', '.join([n.upper() for n in ids])\n"
      "    cur.execute(f'SELECT * FROM t WHERE n IN ({names})')\n");
  ASSERT_EQ(flows.size(), 4u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kSsrf, kRemote, 8, 7, ""}));
  EXPECT_EQ(flows[1], (Sink{FlowKind::kSsrf, kRemote, 10, 7, ""}));
  EXPECT_EQ(flows[2], (Sink{FlowKind::kPath, kRemote, 12, 7, ""}));
  EXPECT_EQ(flows[3], (Sink{FlowKind::kSql, kRemote, 17, 13, ""}));
}

TEST(TaintSummaryTest, SqlTextIsReportedWhereItRuns) {
  const auto flows = Remote(
      "from sqlalchemy import text\n"
      "from flask import request\n"
      "def view(db, q):\n"
      "    stmt = text('SELECT * FROM t WHERE n = ' + request.args['n'])\n"
      "    db.execute(stmt)\n"
      "    q.filter(text(request.args['w']))\n"
      "    q.filter(text('a = :a')).params(a=request.args['a'])\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 5);
  EXPECT_EQ(flows[1].line, 6);
}

TEST(TaintSummaryTest, InstancesOfTheModulesClassesCarryTheirDataIntoMethods) {
  const auto flows = Flows(
      "import requests\n"
      "from flask import request\n"
      "class Fetcher:\n"
      "    def __init__(self, base):\n"
      "        self.base = base\n"
      "    def get(self, path):\n"
      "        return requests.get(self.base + path)\n"
      "    def run(self, cur):\n"
      "        cur.execute('SELECT * FROM ' + self.table)\n"
      "def view():\n"
      "    f = Fetcher(request.args['base'])\n"
      "    return f.get('/x')\n"
      "def fixed():\n"
      "    return Fetcher('https://api.example.com').get('/x')\n");
  // The flow into requests.get comes from the view's request data; self.table alone is not a
  // parameter flow.
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kSsrf, kRemote, 7, 11, ""}));
  EXPECT_EQ(flows[1], (Sink{FlowKind::kSql, FlowLevel::kUnknown, 9, 0, ""}));
}

TEST(TaintSummaryTest, StaticMethodsHaveNoReceiver) {
  const auto flows = Flows(
      "import os\n"
      "from flask import request\n"
      "class Tools:\n"
      "    @staticmethod\n"
      "    def ping(host):\n"
      "        return os.system('ping -c1 ' + host)\n"
      "    def run(self):\n"
      "        return self.ping(request.args['h'])\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kCommand, kRemote, 6, 8, ""}));
}

TEST(TaintSummaryTest, HelpersThatReturnTheirArgumentPropagateAndConstantOnesDoNot) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "def wrap(x):\n"
      "    return 'echo ' + x\n"
      "def fixed(x):\n"
      "    return 'echo hello'\n"
      "def view():\n"
      "    v = request.args['v']\n"
      "    os.system(wrap(v))\n"
      "    os.system(fixed(v))\n"
      "    os.system(wrap('literal'))\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kCommand, kRemote, 9, 8, ""}));
}

TEST(TaintSummaryTest, ParameterToSinkIsReportedOnceAtTheSinkWithTheCallersSource) {
  const auto flows = Flows(
      "import subprocess\n"
      "from flask import request\n"
      "def run(cmd):\n"
      "    return subprocess.getoutput('git ' + cmd)\n"
      "def relay(c):\n"
      "    return run(c)\n"
      "def view():\n"
      "    return relay(request.args['c'])\n"
      "def other():\n"
      "    return run(request.form['d'])\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 4);
  EXPECT_EQ(flows[0].level, kRemote);
  EXPECT_EQ(flows[0].source_line, 8);  // the first source found keeps the flow
}

TEST(TaintSummaryTest, MethodsCalledThroughSelf) {
  const auto flows = Remote(
      "from flask import request\n"
      "class Repo:\n"
      "    def query(self, where):\n"
      "        return self.cur.execute('SELECT * FROM t WHERE ' + where)\n"
      "    def search(self):\n"
      "        return self.query(request.args['w'])\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 4);
  EXPECT_EQ(flows[0].source_line, 6);
}

TEST(TaintSanitizerTest, SanitizersStopOnlyTheirOwnKind) {
  const auto flows = Remote(
      "import os, shlex, html\n"
      "from flask import request, make_response\n"
      "def view(cur):\n"
      "    q = shlex.quote(request.args['q'])\n"
      "    os.system('grep ' + q)\n"
      "    cur.execute('SELECT ' + q)\n"
      "    n = int(request.args['n'])\n"
      "    os.system('head -n %d' % n)\n"
      "    h = html.escape(request.args['h'])\n"
      "    make_response('<b>' + h)\n"
      "    name = os.path.basename(request.args['f'])\n"
      "    open('/srv/' + name)\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0].kind, FlowKind::kSql);
  EXPECT_EQ(flows[0].line, 6);
}

TEST(TaintSanitizerTest, AllowListGuardsDominateTheSink) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request, abort\n"
      "ALLOWED = {'a', 'b'}\n"
      "def guarded():\n"
      "    x = request.args['x']\n"
      "    if x in ALLOWED:\n"
      "        os.system('run ' + x)\n"
      "    os.system('after ' + x)\n"
      "def early_exit():\n"
      "    y = request.args['y']\n"
      "    if y not in ALLOWED:\n"
      "        abort(400)\n"
      "    os.system('run ' + y)\n"
      "def equality():\n"
      "    z = request.args['z']\n"
      "    if z == 'start' or z == 'stop':\n"
      "        os.system('svc ' + z)\n"
      "    if z != 'status':\n"
      "        return None\n"
      "    os.system('svc ' + z)\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 8);   // after the guarded block the check no longer holds
  EXPECT_EQ(flows[1].line, 17);  // `or` of two checks proves neither
}

TEST(TaintSanitizerTest, PathContainmentNeedsANormalizedPath) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request, abort\n"
      "BASE = '/srv'\n"
      "def checked():\n"
      "    p = os.path.realpath(os.path.join(BASE, request.args['f']))\n"
      "    if not p.startswith(BASE):\n"
      "        abort(403)\n"
      "    return open(p).read()\n"
      "def naive():\n"
      "    p = os.path.join(BASE, request.args['f'])\n"
      "    if not p.startswith(BASE):\n"
      "        abort(403)\n"
      "    return open(p).read()\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0].kind, FlowKind::kPath);
  EXPECT_EQ(flows[0].line, 13);
}

TEST(TaintFoldingTest, OverwrittenVariablesDeadBranchesAndLiteralElements) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "DEBUG = False\n"
      "def view():\n"
      "    c = request.args['c']\n"
      "    c = 'uptime'\n"
      "    os.system(c)\n"
      "    d = request.args['d']\n"
      "    if False:\n"
      "        os.system(d)\n"
      "    if 0:\n"
      "        os.system(d)\n"
      "    if DEBUG:\n"
      "        os.system(d)\n"
      "    while None:\n"
      "        os.system(d)\n"
      "    e = d if DEBUG else 'ls'\n"
      "    os.system(e)\n"
      "    if not DEBUG:\n"
      "        d = 'safe'\n"
      "    os.system(d)\n"
      "    for tool in ['black', 'isort']:\n"
      "        os.system(tool + ' .')\n"
      "    if True:\n"
      "        return os.system(request.args['live'])\n");
  ASSERT_EQ(flows.size(), 1u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 25);
}

TEST(TaintFoldingTest, BranchesMergeConservatively) {
  const auto flows = Remote(
      "import os\n"
      "from flask import request\n"
      "def view(flag):\n"
      "    c = 'ls'\n"
      "    if flag:\n"
      "        c = request.args['c']\n"
      "    os.system(c)\n"
      "    d = 'ls'\n"
      "    for item in flag:\n"
      "        os.system(d)\n"
      "        d = request.args['d']\n");
  ASSERT_EQ(flows.size(), 2u) << Describe(flows);
  EXPECT_EQ(flows[0].line, 7);
  EXPECT_EQ(flows[1].line, 10);  // the second pass of the loop sees the tainted d
}

TEST(TaintLevelTest, ParametersAndUnknownValues) {
  const auto flows = Flows(
      "def f(cur, uid, rows):\n"
      "    cur.execute('SELECT ' + uid)\n"
      "    eval(rows.pop())\n"
      "def g(self_like):\n"
      "    eval(load())\n");
  ASSERT_EQ(flows.size(), 3u) << Describe(flows);
  EXPECT_EQ(flows[0], (Sink{FlowKind::kSql, FlowLevel::kParameter, 2, 0, "uid"}));
  EXPECT_EQ(flows[1], (Sink{FlowKind::kCodeEval, FlowLevel::kParameter, 3, 0, "rows"}));
  EXPECT_EQ(flows[2], (Sink{FlowKind::kCodeEval, FlowLevel::kUnknown, 5, 0, ""}));
}

TEST(TaintLimitsTest, DeepAndHugeInputsStayBounded) {
  std::string deep = "import os\nfrom flask import request\nx = request.args['x']\nos.system(";
  for (int i = 0; i < 3000; ++i) deep += "(";
  deep += "x";
  for (int i = 0; i < 3000; ++i) deep += ")";
  deep += ")\n";
  const auto deep_flows = Remote(deep);
  ASSERT_EQ(deep_flows.size(), 1u) << Describe(deep_flows);  // summarized past max_depth

  std::string wide = "import os\nfrom flask import request\ndef f():\n    x = request.args['x']\n";
  for (int i = 0; i < 2000; ++i) wide += "    y" + std::to_string(i) + " = x + 'a'\n";
  wide += "    os.system(y1999)\n";
  EXPECT_EQ(Remote(wide).size(), 1u);
  TaintLimits tiny;
  tiny.node_budget = 50;
  EXPECT_TRUE(Flows(wide, tiny).empty());  // out of budget: stops, never crashes
}

TEST(TaintLimitsTest, NestedLoopsOverManyNamesStayBounded) {
  // Loop fixpoints multiply with nesting; copies of a large environment are charged to the
  // budget, so this ends (the test's timeout would catch an exponential walk).
  std::string code = "from flask import request\ndef f():\n";
  for (int i = 0; i < 400; ++i) code += "    v" + std::to_string(i) + " = request.args['a']\n";
  std::string indent = "    ";
  for (int depth = 0; depth < 14; ++depth) {
    code += indent + "for i" + std::to_string(depth) + " in v" + std::to_string(depth) + ":\n";
    indent += "    ";
    code += indent + "if i" + std::to_string(depth) + ":\n" + indent + "    v1 = 'x'\n";
  }
  code += indent + "eval(v1)\n";
  Flows(code);
}

TEST(TaintLimitsTest, SyntaxErrorsDoNotCrash) {
  for (const char* code :
       {"def f(x=:\n    os.system(x\n", "@app.route(\ndef v(a: = 1):\n",
        "x = request.args[\nos.system(x)\n", "def (:\n  return request.\n", "def f(():exec()"}) {
    Flows(code);
  }
}

}  // namespace
}  // namespace conclave::security
