#include "agents/security/security_pack.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "agents/analysis/file_analysis.h"
#include "agents/security/secrets.h"

namespace conclave::security {
namespace {

using conclave::v1::Finding;

std::vector<Finding> Check(const std::string& code) {
  static const std::unique_ptr<analysis::RulePack> pack = NewSecurityPack();
  change::ReviewFile file;
  file.path = "app.py";
  file.language = "python";
  file.content = code;
  return analysis::AnalyzeFile(*pack, file).findings;
}

std::vector<Finding> Of(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.rule_id() == rule) out.push_back(f);
  }
  return out;
}

std::string Dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) out += f.ShortDebugString() + "\n";
  return out;
}

TEST(SecurityPackTest, DescribesItself) {
  const auto pack = NewSecurityPack();
  EXPECT_EQ(pack->reviewer(), "security");
  EXPECT_EQ(pack->reject_policy(), analysis::RejectPolicy::kMayReject);
  // The Python rules, then the configuration rules, then the JavaScript rules (whose count
  // javascript_rules_test pins).
  ASSERT_GT(pack->rules().size(), 19u);
  EXPECT_EQ(pack->rules()[0].id, "SEC001");
  EXPECT_EQ(pack->rules()[0].cwe, 95);
  EXPECT_EQ(pack->rules()[5].id, "SEC006");
  const std::vector<std::pair<std::string, int>> flow_rules = {
      {"SEC010", 22},  {"SEC011", 79},  {"SEC012", 601}, {"SEC013", 90},
      {"SEC014", 643}, {"SEC015", 918}, {"SEC016", 501}};
  for (size_t i = 0; i < flow_rules.size(); ++i) {
    const analysis::RuleSpec& rule = pack->rules()[6 + i];
    EXPECT_EQ(rule.id, flow_rules[i].first);
    EXPECT_EQ(rule.cwe, flow_rules[i].second) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.remediation.empty()) << rule.id;
  }
  // The configuration rules (config_rules.h) follow, SEC030-SEC035.
  const std::vector<std::pair<std::string, int>> config_rules = {
      {"SEC030", 611}, {"SEC031", 328}, {"SEC032", 330},
      {"SEC033", 614}, {"SEC034", 295}, {"SEC035", 489}};
  for (size_t i = 0; i < config_rules.size(); ++i) {
    EXPECT_EQ(pack->rules()[13 + i].id, config_rules[i].first);
    EXPECT_EQ(pack->rules()[13 + i].cwe, config_rules[i].second);
  }
  EXPECT_EQ(pack->rules()[19].id, "SEC101");
  std::set<std::string_view> ids;
  for (const analysis::RuleSpec& rule : pack->rules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate rule id " << rule.id;
  }
}

// ---- SEC001 ----

TEST(Sec001Test, EvalOfRequestInputIsCritical) {
  const auto f = Of(Check("from flask import request\n"
                          "def view():\n"
                          "    expr = request.args.get('e')\n"
                          "    total = expr.strip()\n"
                          "    return eval(total)\n"),
                    "SEC001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_CRITICAL);
  EXPECT_EQ(f[0].line(), 5);
  EXPECT_EQ(f[0].column(), 12);
  EXPECT_EQ(f[0].cwe(), 95);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.9);
  EXPECT_NE(f[0].message().find("view()"), std::string::npos) << f[0].message();
  EXPECT_FALSE(f[0].suggestion().empty());
}

TEST(Sec001Test, ExecOfInputAndSysArgvAreCritical) {
  EXPECT_EQ(Of(Check("exec(input('> '))\n"), "SEC001").at(0).severity(),
            conclave::v1::SEVERITY_CRITICAL);
  EXPECT_EQ(Of(Check("import sys\ncode = compile(sys.argv[1], 'x', 'exec')\n"), "SEC001")
                .at(0)
                .severity(),
            conclave::v1::SEVERITY_CRITICAL);
}

TEST(Sec001Test, EvalOfAParameterIsHigh) {
  const auto f = Of(Check("def calc(s):\n    return eval(s)\n"), "SEC001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

TEST(Sec001Test, LiteralsAndLookAlikesAreNotReported) {
  EXPECT_TRUE(Of(Check("import ast, re\n"
                       "x = eval('1 + 2')\n"
                       "y = ast.literal_eval(data)\n"
                       "p = re.compile(pattern)\n"
                       "model.eval()\n"
                       "exec('print(1)')\n"),
                 "SEC001")
                  .empty());
}

// ---- SEC002 ----

TEST(Sec002Test, ConcatenatedFormattedAndInterpolatedSqlIsReported) {
  const auto f = Of(Check("def q(cur, uid, name):\n"
                          "    cur.execute('SELECT * FROM u WHERE id = ' + uid)\n"
                          "    cur.execute('SELECT * FROM u WHERE n = %s' % name)\n"
                          "    cur.execute('SELECT * FROM u WHERE n = {}'.format(name))\n"
                          "    cur.executemany(f'INSERT INTO t VALUES ({uid})', rows)\n"
                          "    User.objects.raw(f'SELECT * FROM u WHERE n = {name}')\n"),
                    "SEC002");
  ASSERT_EQ(f.size(), 5u) << Dump(f);
  for (const Finding& finding : f) {
    EXPECT_EQ(finding.severity(), conclave::v1::SEVERITY_HIGH);
    EXPECT_EQ(finding.cwe(), 89);
  }
}

TEST(Sec002Test, SqlBuiltInAVariableOfTheSameFunctionIsReported) {
  const auto f = Of(Check("def q(cur, uid):\n"
                          "    sql = f\"SELECT * FROM t WHERE id = '{uid}'\"\n"
                          "    cur.execute(sql)\n"
                          "def r(conn, where):\n"
                          "    sql = 'SELECT * FROM t'\n"
                          "    sql += ' WHERE ' + where\n"
                          "    conn.executescript(sql)\n"),
                    "SEC002");
  ASSERT_EQ(f.size(), 2u) << Dump(f);
  EXPECT_EQ(f[0].line(), 3);
  EXPECT_EQ(f[1].line(), 7);
}

TEST(Sec002Test, ParameterizedAndConstantQueriesAreNotReported) {
  EXPECT_TRUE(Of(Check("def q(cur, uid):\n"
                       "    cur.execute('SELECT * FROM u WHERE id = %s', (uid,))\n"
                       "    cur.execute('SELECT * FROM u WHERE id = ?', [uid])\n"
                       "    sql = 'SELECT * FROM u ' 'WHERE id = :id'\n"
                       "    cur.execute(sql, {'id': uid})\n"
                       "    cur.execute('SELECT 1' + ' FROM dual')\n"
                       "def other(cur, sql):\n"
                       "    cur.execute(sql)\n"),
                 "SEC002")
                  .empty());
}

// ---- SEC003 ----

TEST(Sec003Test, ShellCommandsBuiltFromDataAreReported) {
  const auto f = Of(Check("import os, subprocess\n"
                          "import subprocess as sp\n"
                          "def run(name):\n"
                          "    os.system('ls ' + name)\n"
                          "    os.popen(f'cat {name}')\n"
                          "    subprocess.run(f'tar xf {name}', shell=True)\n"
                          "    sp.check_output('grep x ' + name, shell=True)\n"
                          "    subprocess.getoutput(name)\n"),
                    "SEC003");
  ASSERT_EQ(f.size(), 5u) << Dump(f);
  EXPECT_EQ(f[0].cwe(), 78);
  EXPECT_NE(f[3].message().find("subprocess.check_output"), std::string::npos) << f[3].message();
}

TEST(Sec003Test, ArgumentListsLiteralsAndShellFalseAreNotReported) {
  EXPECT_TRUE(Of(Check("import os, subprocess\n"
                       "def run(name):\n"
                       "    subprocess.run(['tar', 'xf', name])\n"
                       "    subprocess.run(['tar', 'xf', name], shell=False)\n"
                       "    subprocess.run('ls -l', shell=True)\n"
                       "    subprocess.Popen(name)\n"
                       "    os.system('make clean')\n"),
                 "SEC003")
                  .empty());
}


// ---- data flows ----

TEST(FlowRulesTest, MessagesNameTheSourceAndItsLine) {
  const auto f = Of(Check("from flask import request\n"
                          "def view(cur):\n"
                          "    name = request.args.get('n')\n"
                          "    cur.execute(\"SELECT * FROM u WHERE n = '%s'\" % name)\n"),
                    "SEC002");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_CRITICAL);
  EXPECT_NE(f[0].message().find("from request.args (line 3)"), std::string::npos)
      << f[0].message();
}

TEST(FlowRulesTest, AFlowThroughAHelperIsReportedOnceAtItsSink) {
  const auto f = Check("import os\n"
                       "from flask import request\n"
                       "def backup(dest):\n"
                       "    os.system('tar czf ' + dest + ' /srv')\n"
                       "def view():\n"
                       "    backup(request.form['dest'])\n"
                       "    backup(request.form['other'])\n");
  ASSERT_EQ(Of(f, "SEC003").size(), 1u) << Dump(f);
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_NE(f[0].message().find("from request.form (line 6, read in view())"), std::string::npos)
      << f[0].message();
}

TEST(FlowRulesTest, TheProgramOfAShelllessSubprocessMustNotComeFromARequest) {
  const auto f = Of(Check("import subprocess\n"
                          "from flask import request\n"
                          "def view(arg):\n"
                          "    subprocess.run([request.args['tool'], '-v'])\n"
                          "    subprocess.run(['ls', request.args['dir']])\n"
                          "    subprocess.run([arg, '-v'])\n"),
                    "SEC003");
  ASSERT_EQ(f.size(), 1u) << Dump(f);
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_NE(f[0].message().find("runs a program chosen by"), std::string::npos);
}

TEST(FlowRulesTest, DeserializingRequestDataIsCritical) {
  const auto f = Of(Check("import pickle\n"
                          "from flask import request\n"
                          "def view():\n"
                          "    return pickle.loads(request.data)\n"),
                    "SEC005");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_CRITICAL);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.95);
}

struct FlowCase {
  const char* rule;
  const char* vulnerable;
  const char* safe;
};

class FlowRuleTest : public testing::TestWithParam<FlowCase> {};

TEST_P(FlowRuleTest, ReportsRequestDataAndNotTheSafeForm) {
  const std::string prelude = "import os, requests, ldap\n"
                              "from lxml import etree\n"
                              "from flask import Flask, request, redirect, send_file, session,"
                              " make_response, url_for\n"
                              "from markupsafe import escape\n"
                              "app = Flask(__name__)\n"
                              "def view():\n"
                              "    v = request.args.get('v', '')\n";
  const auto bad = Of(Check(prelude + "    " + GetParam().vulnerable + "\n"), GetParam().rule);
  ASSERT_EQ(bad.size(), 1u) << GetParam().vulnerable;
  EXPECT_EQ(bad[0].line(), 8);
  EXPECT_NE(bad[0].message().find("(line 7)"), std::string::npos) << bad[0].message();
  EXPECT_TRUE(Of(Check(prelude + "    " + GetParam().safe + "\n"), GetParam().rule).empty())
      << GetParam().safe;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, FlowRuleTest,
    testing::Values(
        FlowCase{"SEC010", "return send_file(os.path.join('/srv', v))",
                 "return send_file(os.path.join('/srv', os.path.basename(v)))"},
        FlowCase{"SEC011", "return make_response('<p>' + v)",
                 "return make_response('<p>' + escape(v))"},
        FlowCase{"SEC012", "return redirect(v)", "return redirect('/users/' + v)"},
        FlowCase{"SEC013", "ldap.initialize('x').search_s('dc=x', 2, '(uid=' + v + ')')",
                 "ldap.initialize('x').search_s('dc=x', 2, '(uid=admin)', [v])"},
        FlowCase{"SEC014", "etree.parse('u.xml').xpath(\"//u[@n='\" + v + \"']\")",
                 "etree.parse('u.xml').xpath('//u[@n=$n]', n=v)"},
        FlowCase{"SEC015", "requests.get(v, timeout=3)",
                 "requests.get('https://api.example.com/u/' + v, timeout=3)"},
        FlowCase{"SEC016", "session['role'] = v", "session['role'] = int(v)"}));

// ---- SEC004 ----

TEST(Sec004Test, KnownTokenFormatsAreHighAndRedacted) {
  const std::string ghp = "ghp_" + std::string(36, 'a') + "B1";
  const auto f = Of(Check("AWS_KEY = 'AKIAQWERTYUIOPASDFGH'\n"
                          "gh = '" +
                          ghp.substr(0, 40) +
                          "'\n"
                          "slack = 'xoxb-1234567890-abcdefghij'\n"
                          "stripe = 'sk_live_abcdefghijklmnop1234'\n"
                          "google = 'AIzaSyA1234567890abcdefghijklmnopqrstuv'\n"
                          "KEY = '''-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n'''\n"),
                    "SEC004");
  ASSERT_EQ(f.size(), 6u) << Dump(f);
  for (const Finding& finding : f) {
    EXPECT_EQ(finding.severity(), conclave::v1::SEVERITY_HIGH);
    EXPECT_EQ(finding.cwe(), 798);
    EXPECT_DOUBLE_EQ(finding.confidence(), 0.95);
  }
  EXPECT_EQ(f[0].message().find("AKIAQWERTYUIOPASDFGH"), std::string::npos) << f[0].message();
  EXPECT_NE(f[0].message().find("AWS access key id"), std::string::npos);
}

TEST(Sec004Test, RandomLiteralsAssignedToSecretNamesAreMedium) {
  const auto f = Of(Check("db_password = 'P@ssw0rd123!'\n"
                          "settings.API_KEY = 'q8Zr2kLm9XvB'\n"
                          "connect(host='db', password='Tr0ub4dor&3x')\n"
                          "config = {'client_secret': 'a9F3kQ7zL2mX8vB4'}\n"),
                    "SEC004");
  ASSERT_EQ(f.size(), 4u) << Dump(f);
  for (const Finding& finding : f) {
    EXPECT_EQ(finding.severity(), conclave::v1::SEVERITY_MEDIUM);
    EXPECT_DOUBLE_EQ(finding.confidence(), 0.70);
  }
}

TEST(Sec004Test, PlaceholdersAndNonSecretsAreNotReported) {
  EXPECT_TRUE(Of(Check("import os\n"
                       "password = 'changeme'\n"
                       "password = 'password'\n"
                       "token = os.environ['API_TOKEN']\n"
                       "token_env = 'GITHUB_TOKEN'\n"
                       "password_field = 'x9Kq2LmZ7vB4'\n"
                       "secret = '${SECRET_FROM_VAULT}'\n"
                       "api_key = 'your api key here'\n"
                       "aws = 'AKIAIOSFODNN7EXAMPLE'\n"
                       "greeting = 'Hello, world! 1234567'\n"),
                 "SEC004")
                  .empty());
}

TEST(SecretsTest, EntropyAndTokens) {
  EXPECT_DOUBLE_EQ(ShannonEntropy(""), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcdefgh"), 3);
  EXPECT_LT(ShannonEntropy("password"), kMinSecretEntropy);
  EXPECT_EQ(FindKnownToken("xAKIAQWERTYUIOPASDFGH").kind, "");  // part of a longer word
  EXPECT_EQ(FindKnownToken("key: AKIAQWERTYUIOPASDFGH").offset, 5u);
  EXPECT_EQ(FindKnownToken("ghp_short").kind, "");
  EXPECT_TRUE(IsSecretName("DB_PASSWORD"));
  EXPECT_FALSE(IsSecretName("token_url"));
  EXPECT_FALSE(IsSecretName("username"));
}

// ---- SEC005 ----

TEST(Sec005Test, PickleMarshalShelveLoadsAreReported) {
  const auto f = Of(Check("import pickle, marshal, shelve\n"
                          "from pickle import loads\n"
                          "import cPickle\n"
                          "a = pickle.loads(blob)\n"
                          "b = loads(blob)\n"
                          "c = pickle.load(open(path, 'rb'))\n"
                          "d = marshal.loads(data)\n"
                          "e = shelve.open('cache.db')\n"
                          "g = cPickle.loads(blob)\n"),
                    "SEC005");
  ASSERT_EQ(f.size(), 6u) << Dump(f);
  EXPECT_EQ(f[1].line(), 5);
  EXPECT_NE(f[1].message().find("pickle.loads"), std::string::npos) << f[1].message();
  EXPECT_EQ(f[0].cwe(), 502);
  // A shelf at a fixed path is reported for the file, MEDIUM: a risk where others can write it.
  EXPECT_EQ(f[4].line(), 8);
  EXPECT_EQ(f[4].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_NE(f[4].message().find("the objects stored in `'cache.db'`; whoever can write that file"),
            std::string::npos)
      << f[4].message();
  EXPECT_EQ(f[3].severity(), conclave::v1::SEVERITY_HIGH) << "marshal.loads(data) stays HIGH";
}

TEST(Sec005Test, SerializingAndJsonAreNotReported) {
  EXPECT_TRUE(Of(Check("import pickle, json\n"
                       "a = pickle.dumps(obj)\n"
                       "b = json.loads(text)\n"
                       "pickle.dump(obj, f)\n"),
                 "SEC005")
                  .empty());
}

// ---- SEC006 ----

TEST(Sec006Test, UnsafeYamlLoadsAreReported) {
  const auto f = Of(Check("import yaml\n"
                          "a = yaml.load(text)\n"
                          "b = yaml.load(text, Loader=yaml.Loader)\n"
                          "c = yaml.load_all(text, yaml.UnsafeLoader)\n"
                          "d = yaml.unsafe_load(text)\n"),
                    "SEC006");
  ASSERT_EQ(f.size(), 4u) << Dump(f);
  EXPECT_EQ(f[0].cwe(), 502);
  EXPECT_NE(f[1].message().find("Loader=yaml.Loader"), std::string::npos) << f[1].message();
}

TEST(Sec006Test, SafeLoadersAreNotReported) {
  EXPECT_TRUE(Of(Check("import yaml\n"
                       "from yaml import CSafeLoader\n"
                       "a = yaml.safe_load(text)\n"
                       "b = yaml.load(text, Loader=yaml.SafeLoader)\n"
                       "c = yaml.load(text, Loader=CSafeLoader)\n"
                       "d = yaml.load_all(text, yaml.SafeLoader)\n"),
                 "SEC006")
                  .empty());
}

}  // namespace
}  // namespace conclave::security
