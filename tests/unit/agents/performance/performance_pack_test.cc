// The performance rule pack over small Python sources: each rule's positive and negative
// cases, severities and locations, and pathological inputs that must not crash.
#include "agents/performance/performance_pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"

namespace conclave::performance {
namespace {

using conclave::v1::Finding;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class PerformancePackTest : public ::testing::Test {
 protected:
  // All findings of the pack over `source`.
  std::vector<Finding> Check(const std::string& source) {
    absl::StatusOr<analysis::ParsedModule> module = analysis::ParsedModule::Parse("t.py", source);
    EXPECT_TRUE(module.ok()) << module.status();
    if (!module.ok()) return {};
    analysis::FindingCollector out("t.py");
    pack_->Check(*module, out);
    std::vector<Finding> findings;
    for (const analysis::ScopedFinding& f : out.findings()) findings.push_back(f.finding);
    return findings;
  }

  // The findings of one rule.
  std::vector<Finding> Check(const std::string& source, std::string_view rule) {
    std::vector<Finding> all = Check(source), matching;
    for (const Finding& f : all) {
      if (f.rule_id() == rule) matching.push_back(f);
    }
    return matching;
  }

  std::unique_ptr<analysis::RulePack> pack_ = NewPerformancePack();
};

std::vector<std::string> RuleIds(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.rule_id());
  return ids;
}

TEST_F(PerformancePackTest, DescribesItself) {
  EXPECT_EQ(pack_->reviewer(), "performance");
  EXPECT_FALSE(pack_->version().empty());
  EXPECT_EQ(pack_->reject_policy(), analysis::RejectPolicy::kNeverReject);
  std::vector<std::string> ids;
  for (const analysis::RuleSpec& rule : pack_->rules()) {
    ids.push_back(std::string(rule.id));
    EXPECT_GT(rule.confidence, 0) << rule.id;
    EXPECT_LE(rule.confidence, 1) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.remediation.empty()) << rule.id;
  }
  EXPECT_THAT(ids, ElementsAre("PERF001", "PERF002", "PERF003", "PERF004", "PERF005", "PERF006",
                               "PERF007", "PERF008", "PERF009", "PERF010"));
}

// --- PERF001: nested loops over the same collection ---

TEST_F(PerformancePackTest, NestedLoopsOverSameNameAreReported) {
  const std::vector<Finding> f = Check(
      "def pairs(items):\n"
      "    out = 0\n"
      "    for a in items:\n"
      "        for b in items:\n"
      "            out += a * b\n"
      "    return out\n",
      "PERF001");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].column(), 9);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.75);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("line 3"));
}

TEST_F(PerformancePackTest, NestedLoopsOverSameAttributeChainAreReported) {
  EXPECT_THAT(Check("class Graph:\n"
                    "    def edges(self):\n"
                    "        for a in self.nodes:\n"
                    "            for b in self.nodes:\n"
                    "                yield a, b\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, IndexLoopsOverTheSameListAreReported) {
  EXPECT_THAT(Check("def close(xs):\n"
                    "    for i in range(len(xs)):\n"
                    "        for j in range(i + 1, len(xs)):\n"
                    "            if xs[i] == xs[j]:\n"
                    "                return True\n",
                    "PERF001"),
              SizeIs(1));
  EXPECT_THAT(Check("def f(d):\n"
                    "    for k, v in d.items():\n"
                    "        for i, other in enumerate(sorted(d)):\n"
                    "            pass\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, LoopOverASliceOfTheOuterCollectionIsReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    for i, a in enumerate(xs):\n"
                    "        for b in xs[i + 1:]:\n"
                    "            pass\n"
                    "        for c in ys[i:]:\n"
                    "            pass\n"
                    "        for d in xs[i]:\n"  // an element, not a slice
                    "            pass\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, ComprehensionCrossProductOverOneCollectionIsReported) {
  EXPECT_THAT(Check("def f(xs):\n    return [(a, b) for a in xs for b in xs]\n", "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, LoopWithAnotherLoopBetweenIsStillReported) {
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    for a in xs:\n"
                    "        for b in ys:\n"
                    "            while b:\n"
                    "                for c in xs:\n"
                    "                    b -= 1\n",
                    "PERF001"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, NestedLoopsOverDifferentCollectionsAreNotReported) {
  EXPECT_THAT(Check("def f(xs, ys, grid):\n"
                    "    for a in xs:\n"
                    "        for b in ys:\n"
                    "            pass\n"
                    "    for row in grid:\n"
                    "        for cell in row:\n"
                    "            pass\n"
                    "    for i in range(10):\n"
                    "        for j in range(10):\n"
                    "            pass\n",
                    "PERF001"),
              IsEmpty());
}

TEST_F(PerformancePackTest, SequentialLoopsOverSameCollectionAreNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    for a in xs:\n"
                    "        pass\n"
                    "    for b in xs:\n"
                    "        pass\n",
                    "PERF001"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipInTheIteratedCollectionIsReportedOnce) {
  // xs is a list: PERF001 reports the comparison, and PERF003 does not repeat it.
  const std::vector<Finding> f = Check(
      "def dups(data):\n"
      "    xs = list(data)\n"
      "    for a in xs:\n"
      "        if a + 1 in xs:\n"
      "            print(a)\n");
  EXPECT_THAT(RuleIds(f), ElementsAre("PERF001"));
  EXPECT_EQ(f[0].line(), 4);
}

TEST_F(PerformancePackTest, MembershipInAnIteratedSetIsNotReported) {
  EXPECT_THAT(Check("def f(data):\n"
                    "    xs = set(data)\n"
                    "    for a in xs:\n"
                    "        if a + 1 in xs:\n"
                    "            print(a)\n"),
              IsEmpty());
  // Iterating .items() shows `index` is a mapping.
  EXPECT_THAT(Check("def f(index):\n"
                    "    for key, value in index.items():\n"
                    "        if value in index:\n"
                    "            print(key)\n"),
              IsEmpty());
}

// --- PERF002: string concatenation in a loop ---

TEST_F(PerformancePackTest, AugmentedConcatenationOfALiteralInitializedStrIsReported) {
  const std::vector<Finding> f = Check(
      "def render(rows):\n"
      "    out = ''\n"
      "    for row in rows:\n"
      "        out += row\n"
      "    return out\n",
      "PERF002");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.60);
}

TEST_F(PerformancePackTest, ConcatenationOfAStrExpressionIsReportedWithoutInitializer) {
  EXPECT_THAT(Check("def f(rows, out):\n"
                    "    for row in rows:\n"
                    "        out += str(row)\n"
                    "        out += f'{row},'\n",
                    "PERF002"),
              SizeIs(2));
  EXPECT_THAT(Check("def f(self, rows):\n"
                    "    while rows:\n"
                    "        self.text += ', '\n",
                    "PERF002"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, SelfConcatenationByAssignmentIsReported) {
  EXPECT_THAT(Check("def f(rows):\n"
                    "    s = ''\n"
                    "    for r in rows:\n"
                    "        s = s + r + ','\n",
                    "PERF002"),
              SizeIs(1));
  EXPECT_THAT(Check("def f(rows, s):\n"
                    "    for r in rows:\n"
                    "        s = (s + '-')\n",
                    "PERF002"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, ConcatenationInAShortFixedLoopIsLow) {
  const std::vector<Finding> f = Check(
      "def f():\n"
      "    s = ''\n"
      "    for part in ('a', 'b', 'c'):\n"
      "        s += part\n"
      "    for i in range(3):\n"
      "        s += 'x'\n",
      "PERF002");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
  EXPECT_EQ(f[1].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, ConcatenationOutsideLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(a, b):\n"
                    "    s = ''\n"
                    "    s += a\n"
                    "    s = s + b + '!'\n"
                    "    return s\n",
                    "PERF002"),
              IsEmpty());
}

TEST_F(PerformancePackTest, NonStringAccumulationInLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    total = 0\n"
                    "    parts = []\n"
                    "    chars = []\n"
                    "    name = ''\n"
                    "    for x in xs:\n"
                    "        total += x\n"
                    "        total = total + 1\n"
                    "        parts += [x]\n"
                    "        chars += 'ab'\n"
                    "        name = name.strip()\n"
                    "        x += 1\n"
                    "    return total, parts, chars, name\n",
                    "PERF002"),
              IsEmpty());
}

// --- PERF003: membership test on a list in a loop ---

TEST_F(PerformancePackTest, MembershipOnAListBoundBeforeTheLoopIsReported) {
  const std::vector<Finding> f = Check(
      "def unique(xs):\n"
      "    seen = []\n"
      "    for x in xs:\n"
      "        if x not in seen:\n"
      "            seen.append(x)\n"
      "    return seen\n",
      "PERF003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_EQ(f[0].column(), 12);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.80);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("line 3"));
}

TEST_F(PerformancePackTest, MembershipOnListCallsAndComprehensionsIsReported) {
  EXPECT_THAT(Check("def f(xs, ys, zs):\n"
                    "    a = list(ys)\n"
                    "    b = [z.id for z in zs]\n"
                    "    c = sorted(zs)\n"
                    "    return [x for x in xs if x in a or x in b or x in c]\n",
                    "PERF003"),
              SizeIs(3));
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    for x in xs:\n"
                    "        if x in [y.id for y in ys]:\n"
                    "            pass\n",
                    "PERF003"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, MembershipOnAModuleLevelListIsReportedUnlessShadowed) {
  EXPECT_THAT(Check("RESERVED = ['admin', 'root']\n"
                    "KINDS = {'a', 'b'}\n"
                    "def f(names):\n"
                    "    return [n for n in names if n in RESERVED]\n"
                    "def g(names, RESERVED=()):\n"
                    "    return [n for n in names if n in RESERVED or n in KINDS]\n"
                    "def h(names):\n"
                    "    RESERVED = set()\n"
                    "    return [n for n in names if n in RESERVED]\n",
                    "PERF003"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, MembershipOnAListLiteralInALoopIsLow) {
  const std::vector<Finding> f = Check(
      "def f(paths):\n"
      "    for p in paths:\n"
      "        if p.suffix in ['.py', '.pyi']:\n"
      "            yield p\n",
      "PERF003");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, MembershipOnAListValuedInstanceAttributeIsReported) {
  // Assigned a list in __init__ (computed: MEDIUM) or in the class body (written out: LOW).
  const std::vector<Finding> f = Check(
      "class Filter:\n"
      "    blocked = ['a', 'b']\n"
      "    def __init__(self, names):\n"
      "        self.allowed = [n.lower() for n in names]\n"
      "    def keep(self, items):\n"
      "        return [i for i in items if i.name in self.allowed and i.tag not in "
      "self.blocked]\n",
      "PERF003");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[1].severity(), conclave::v1::SEVERITY_LOW);
  EXPECT_NE(f[0].suggestion().find("where the class assigns it"), std::string::npos);
  // An empty list is there to be filled: not bounded by its spelling.
  const std::vector<Finding> seen = Check(
      "class Dedup:\n"
      "    def __init__(self):\n"
      "        self.seen = []\n"
      "    def feed(self, items):\n"
      "        for i in items:\n"
      "            if i not in self.seen:\n"
      "                self.seen.append(i)\n",
      "PERF003");
  ASSERT_THAT(seen, SizeIs(1));
  EXPECT_EQ(seen[0].severity(), conclave::v1::SEVERITY_MEDIUM);
}

TEST_F(PerformancePackTest, InstanceAttributesNotEvidentlyListsAreNotReported) {
  EXPECT_THAT(Check("class Filter:\n"
                    "    def __init__(self, names, other):\n"
                    "        self.allowed = set(names)\n"     // a set
                    "        self.mixed = []\n"
                    "        self.labels = other.labels\n"    // unknown
                    "    def configure(self, names):\n"
                    "        self.mixed = frozenset(names)\n"  // sometimes a set
                    "    @staticmethod\n"
                    "    def check(self, items):\n"  // `self` of a staticmethod is no instance
                    "        return [i for i in items if i in self.mixed]\n"
                    "    def keep(self, items, other):\n"
                    "        for i in items:\n"
                    "            if i in self.allowed or i in self.mixed or i in self.labels:\n"
                    "                yield i\n"
                    "            if i in other.allowed:\n"  // another object's attribute
                    "                yield i\n"
                    "    def rebuilt(self, items):\n"
                    "        for i in items:\n"
                    "            self.window = [i]\n"  // rebuilt each iteration
                    "            if i in self.window:\n"
                    "                yield i\n",
                    "PERF003"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipOnSetsAndDictsIsNotReported) {
  EXPECT_THAT(Check("def f(xs, ys):\n"
                    "    seen = set()\n"
                    "    index = {}\n"
                    "    known = {y for y in ys}\n"
                    "    allowed = ['a', 'b']\n"
                    "    allowed = set(allowed)\n"
                    "    for x in xs:\n"
                    "        if x in seen or x in index or x in known or x in allowed:\n"
                    "            continue\n"
                    "        if x in {'a', 'b'} or x in ('c', 'd'):\n"
                    "            continue\n"
                    "        seen.add(x)\n"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipOnAListOutsideLoopsIsNotReported) {
  EXPECT_THAT(Check("def f(x, ys):\n"
                    "    names = list(ys)\n"
                    "    return x in names and x not in [1, 2]\n"),
              IsEmpty());
}

TEST_F(PerformancePackTest, ListRebuiltOnEveryIterationIsNotReported) {
  // Building a set instead would cost as much as the one scan.
  EXPECT_THAT(Check("def f(lines):\n"
                    "    for line in lines:\n"
                    "        words = line.split()\n"
                    "        if 'todo' in words:\n"
                    "            yield line\n",
                    "PERF003"),
              IsEmpty());
}

TEST_F(PerformancePackTest, OtherComparisonsWithListsAreNotReported) {
  EXPECT_THAT(Check("def f(xs):\n"
                    "    ys = []\n"
                    "    for x in xs:\n"
                    "        if x == ys or x is not ys or x < ys:\n"
                    "            pass\n",
                    "PERF003"),
              IsEmpty());
}

// --- PERF004: cyclomatic complexity ---

// A function of complexity 1 + branches.
std::string Branchy(int branches) {
  std::string source = "def branchy(x):\n";
  for (int i = 0; i < branches; ++i) {
    source += "    if x == " + std::to_string(i) + ":\n        return " + std::to_string(i) + "\n";
  }
  return source + "    return -1\n";
}

TEST_F(PerformancePackTest, ComplexityAtTheThresholdIsNotReported) {
  EXPECT_THAT(Check(Branchy(kComplexityMedium - 1), "PERF004"), IsEmpty());
}

TEST_F(PerformancePackTest, ComplexityAboveTenIsMedium) {
  const std::vector<Finding> f = Check(Branchy(kComplexityMedium), "PERF004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[0].line(), 1);
  EXPECT_EQ(f[0].column(), 5);
  EXPECT_DOUBLE_EQ(f[0].confidence(), 0.90);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("complexity 11"));
  EXPECT_THAT(Check(Branchy(kComplexityHigh - 1), "PERF004")[0].severity(),
              conclave::v1::SEVERITY_MEDIUM);
}

TEST_F(PerformancePackTest, ComplexityAboveTwentyIsHigh) {
  const std::vector<Finding> f = Check(Branchy(kComplexityHigh), "PERF004");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

// --- PERF005: quadratic list operations in loops ---

TEST_F(PerformancePackTest, FrontPopOfAQueueListIsReported) {
  const std::vector<Finding> f = Check(
      "def bfs(start):\n"
      "    queue = [start]\n"
      "    while queue:\n"
      "        node = queue.pop(0)\n"
      "        queue.extend(node.children)\n",
      "PERF005");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 4);
  EXPECT_THAT(f[0].suggestion(), ::testing::HasSubstr("deque"));
}

TEST_F(PerformancePackTest, IndexRemoveAndFrontInsertOnListsAreReported) {
  EXPECT_THAT(RuleIds(Check("def f(xs, ys):\n"
                            "    names = list(xs)\n"
                            "    order = []\n"
                            "    for y in ys:\n"
                            "        i = names.index(y)\n"
                            "        names.remove(y)\n"
                            "        order.insert(0, i)\n"
                            "        self.pending.pop(0)\n",
                            "PERF005")),
              SizeIs(4));
}

TEST_F(PerformancePackTest, ListOperationLookAlikesAreNotReported) {
  EXPECT_THAT(Check("import collections\n"
                    "def f(xs, text):\n"
                    "    q = collections.deque(xs)\n"
                    "    seen = set()\n"
                    "    d = {}\n"
                    "    names = list(xs)\n"
                    "    for x in xs:\n"
                    "        q.popleft()\n"
                    "        seen.remove(x)\n"  // set: O(1)
                    "        d.pop(0)\n"        // dict
                    "        names.pop()\n"     // the end: O(1)
                    "        names.insert(len(names), x)\n"
                    "        text.index(x)\n"    // not known to be a list
                    "        q.pop(0)\n"         // bound to a deque call
                    "    names.index(xs[0])\n",  // outside the loop
                    "PERF005"),
              IsEmpty());
}

TEST_F(PerformancePackTest, MembershipOnListIsPerf003NotPerf005) {
  EXPECT_THAT(RuleIds(Check("def f(xs):\n"
                            "    seen = []\n"
                            "    for x in xs:\n"
                            "        if x not in seen:\n"
                            "            seen.append(x)\n")),
              ElementsAre("PERF003"));
}

// --- PERF006: queries and requests in loops ---

TEST_F(PerformancePackTest, QueryPerIterationWithTheLoopVariableIsHigh) {
  const std::vector<Finding> f = Check(
      "def names(conn, ids):\n"
      "    cur = conn.cursor()\n"
      "    out = []\n"
      "    for i in ids:\n"
      "        cur.execute('SELECT name FROM users WHERE id = ?', (i,))\n"
      "        out.append(cur.fetchone())\n"
      "    return out\n",
      "PERF006");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].line(), 5);
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

TEST_F(PerformancePackTest, OrmChainsAreReportedOncePerChain) {
  const std::vector<Finding> f = Check(
      "def load(session, orders):\n"
      "    for o in orders:\n"
      "        o.user = session.query(User).filter(User.id == o.user_id).first()\n"
      "        o.items = Item.objects.filter(order=o.id)\n"
      "        o.tags = [Tag.query.get(t) for t in o.tag_ids]\n",
      "PERF006");
  ASSERT_THAT(f, SizeIs(3));
  for (const Finding& finding : f) EXPECT_EQ(finding.severity(), conclave::v1::SEVERITY_HIGH);
}

TEST_F(PerformancePackTest, SqlAlchemySessionsAreKnownByTypeAndFactory) {
  const std::vector<Finding> f = Check(
      "from typing import Optional\n"
      "from sqlalchemy import orm\n"
      "from sqlalchemy.orm import Session, sessionmaker\n"
      "from .database import SessionLocal\n"
      "Maker = sessionmaker(bind=engine)\n"
      "def a(s: Session, ids):\n"
      "    return [s.get(User, i) for i in ids]\n"
      "def b(ids, s: Optional[orm.Session] = Depends(get_db)):\n"
      "    return [s.scalars(select(User).where(User.id == i)).first() for i in ids]\n"
      "def c(ids):\n"
      "    s = SessionLocal()\n"
      "    return [s.get(User, i) for i in ids]\n"
      "def d(ids):\n"
      "    with Maker() as s:\n"
      "        return [s.query(User).get(i) for i in ids]\n"
      "def e(ids):\n"
      "    with Session(engine) as s:\n"
      "        return [s.execute(select(User).where(User.id == i)) for i in ids]\n"
      "def g(db, ids):\n"
      "    return [db.query(User).filter(User.id == i).one() for i in ids]\n",
      "PERF006");
  EXPECT_THAT(f, SizeIs(6));
}

TEST_F(PerformancePackTest, HandlesReturnedByCallsAreKnownByTheFunctionsName) {
  const std::vector<Finding> f = Check(
      "import sqlite3\n"
      "def f(ids, conn):\n"
      "    for i in ids:\n"
      "        db().execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
      "        get_db().execute('SELECT 1 FROM t WHERE id = ?', (i,)).fetchone()\n"
      "        conn.cursor().execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
      "        get_session().query(User).get(i)\n"
      "        sqlite3.connect(path).execute('SELECT 1')\n",
      "PERF006");
  EXPECT_THAT(f, SizeIs(5));
}

TEST_F(PerformancePackTest, SessionLookAlikesAreNotReported) {
  EXPECT_THAT(Check("from sqlalchemy.orm import Session\n"
                    "import dbm\n"
                    "def f(ids, db, s: dict, pool):\n"
                    "    for i in ids:\n"
                    "        db.get(i)\n"                // a dbm file or a dict: only query is a query
                    "        s.get(i)\n"                 // annotated, but not a Session
                    "        get_config().get(i)\n"      // not a handle
                    "        executor().execute(i)\n"    // not a database
                    "        pool.submit(i)\n"
                    "    for session in sessions():\n"  // walks sessions
                    "        session.query(User).all()\n",
                    "PERF006"),
              IsEmpty());
}

TEST_F(PerformancePackTest, StoredQueryRunInALoopIsReported) {
  EXPECT_THAT(Check("def f(session, ids):\n"
                    "    q = session.query(User)\n"
                    "    return [q.get(i) for i in ids]\n",
                    "PERF006"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, HttpRequestsInLoopsAreMedium) {
  const std::vector<Finding> f = Check(
      "import requests\n"
      "def fetch(urls):\n"
      "    s = requests.Session()\n"
      "    for u in urls:\n"
      "        requests.get(u, timeout=5)\n"
      "        s.post(u, json={})\n",
      "PERF006");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
}

TEST_F(PerformancePackTest, QueryLookAlikesAndRetriesAreNotReported) {
  EXPECT_THAT(Check("import requests\n"
                    "def f(cache, ids, cur, rows):\n"
                    "    for i in ids:\n"
                    "        cache.get(i)\n"            // a dict
                    "        executor.execute(task)\n"  // not a database handle
                    "    cur.execute('SELECT 1')\n"     // outside loops
                    "    for attempt in range(3):\n"    // a retry, not a walk
                    "        r = requests.get('https://example.com/health')\n"
                    "    while not done():\n"  // polling, not N+1
                    "        requests.get('https://example.com/status')\n"
                    "    for row in cur.execute('SELECT id FROM t'):\n"  // the iterable, once
                    "        rows.append(row)\n",
                    "PERF006"),
              IsEmpty());
}

TEST_F(PerformancePackTest, LoopVariablesNamedLikeHandlesAndFixedFanOutAreNotReported) {
  EXPECT_THAT(Check("import requests\n"
                    "def f(sessions, path):\n"
                    "    for session in sessions:\n"
                    "        session.get('user_id')\n"
                    "    for mirror in ('https://a', 'https://b'):\n"
                    "        requests.get(mirror + path, timeout=3)\n"
                    "    for page in range(5):\n"
                    "        requests.get(path, params={'page': page}, timeout=3)\n"
                    "def g(requests, urls):\n"  // a parameter, not the module
                    "    for u in urls:\n"
                    "        requests.get(u)\n",
                    "PERF006"),
              IsEmpty());
}

TEST_F(PerformancePackTest, TheIterableOfAComprehensionRunsOnce) {
  EXPECT_THAT(Check("import re\n"
                    "def f(session, text):\n"
                    "    names = [u.name for u in User.objects.filter(active=True)]\n"
                    "    rows = [r for r in session.query(User).all() if r.ok]\n"
                    "    words = [w for w in re.split(text + ',', text)]\n"
                    "    return names, rows, words\n"),
              IsEmpty());
}

TEST_F(PerformancePackTest, BatchesAndScriptsOfConstantStatementsAreNotReported) {
  EXPECT_THAT(Check("SCHEMA = ['CREATE TABLE a (x)', 'CREATE INDEX ax ON a (x)']\n"
                    "def setup(cur, rows):\n"
                    "    for stmt in SCHEMA:\n"
                    "        cur.execute(stmt)\n"
                    "    for i in range(0, len(rows), 500):\n"
                    "        cur.executemany('INSERT INTO a VALUES (?)', rows[i:i + 500])\n",
                    "PERF006"),
              IsEmpty());
  // A table built from data is not a constant table.
  EXPECT_THAT(Check("def load(cur, ids):\n"
                    "    keys = [i for i in ids]\n"
                    "    for k in keys:\n"
                    "        cur.execute('SELECT 1 FROM t WHERE k = ?', (k,))\n",
                    "PERF006"),
              SizeIs(1));
}

TEST_F(PerformancePackTest, QueriesThroughWithBoundConnectionsAndAsyncClientsAreReported) {
  EXPECT_THAT(Check("import httpx\n"
                    "async def crawl(engine, urls, tables):\n"
                    "    async with httpx.AsyncClient() as client:\n"
                    "        for url in urls:\n"
                    "            await client.get(url)\n"
                    "    with engine.connect() as c:\n"
                    "        return [c.execute(t).scalar() for t in tables]\n",
                    "PERF006"),
              SizeIs(2));
}

// --- PERF007: regexes in loops ---

TEST_F(PerformancePackTest, PatternBuiltInTheLoopIsReported) {
  const std::vector<Finding> f = Check(
      "import re\n"
      "def f(words, text):\n"
      "    for w in words:\n"
      "        if re.search(r'\\b' + re.escape(w) + r'\\b', text):\n"
      "            return w\n"
      "        p = re.compile(f'{w}+')\n",
      "PERF007");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[1].severity(), conclave::v1::SEVERITY_MEDIUM);
}

TEST_F(PerformancePackTest, CompileOfAFixedPatternInALoopIsLow) {
  const std::vector<Finding> f = Check(
      "import re\n"
      "def f(lines):\n"
      "    for line in lines:\n"
      "        m = re.compile(r'(\\d+)').match(line)\n",
      "PERF007");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, CachedRegexUsesAreNotReported) {
  EXPECT_THAT(Check("import re\n"
                    "WORD = re.compile(r'\\w+')\n"
                    "def f(lines, pattern):\n"
                    "    for line in lines:\n"
                    "        re.match(r'\\d+', line)\n"    // literal: cached
                    "        re.sub(pattern, '', line)\n"  // loop-invariant: cached
                    "        WORD.findall(line)\n"
                    "    re.compile(pattern)\n",
                    "PERF007"),
              IsEmpty());
}

TEST_F(PerformancePackTest, PatternsSelectedByTheLoopAreNotReported) {
  // Compiling each pattern of a table once is the precompiling idiom; matching with a pattern
  // picked from a fixed table is served by re's cache. A parameter named `re` is not the module.
  EXPECT_THAT(Check("import re\n"
                    "RULES = [r'a+', r'b+']\n"
                    "COMPILED = [re.compile(p) for p in RULES]\n"
                    "def f(rules, text, table):\n"
                    "    out = []\n"
                    "    for rule in rules:\n"
                    "        out.append(re.compile(rule.expression, re.I))\n"
                    "    for pattern, name in table:\n"
                    "        if re.match(pattern, text):\n"
                    "            return name\n"
                    "    return out\n"
                    "def g(re, items):\n"
                    "    for item in items:\n"
                    "        re.search(item + 'x')\n",
                    "PERF007"),
              IsEmpty());
}

TEST_F(PerformancePackTest, NameBoundToABuiltPatternInTheLoopIsReported) {
  EXPECT_THAT(Check("import re\n"
                    "def f(records, fields):\n"
                    "    for r in records:\n"
                    "        for field in fields:\n"
                    "            pat = field + '=(\\\\S+)'\n"
                    "            re.search(pat, r)\n",
                    "PERF007"),
              SizeIs(1));
}

// --- PERF008: blocking calls in async def ---

TEST_F(PerformancePackTest, BlockingCallsInAsyncDefAreReported) {
  const std::vector<Finding> f = Check(
      "import time, requests, subprocess\n"
      "async def handler(path):\n"
      "    time.sleep(1)\n"
      "    r = requests.get('https://example.com')\n"
      "    subprocess.run(['ls'])\n"
      "    with open(path) as fh:\n"
      "        return fh.read()\n",
      "PERF008");
  ASSERT_THAT(f, SizeIs(4));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
  EXPECT_EQ(f[3].severity(), conclave::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(f[3].line(), 6);
}

TEST_F(PerformancePackTest, OffloadedAndNestedSyncCallsAreNotReported) {
  EXPECT_THAT(Check("import asyncio, time, requests, httpx\n"
                    "def sync(path):\n"
                    "    time.sleep(1)\n"
                    "async def handler(url, path):\n"
                    "    await asyncio.sleep(1)\n"
                    "    await asyncio.to_thread(time.sleep, 1)\n"
                    "    loop = asyncio.get_running_loop()\n"
                    "    await loop.run_in_executor(None, lambda: requests.get(url))\n"
                    "    def read():\n"
                    "        with open(path) as fh:\n"
                    "            return fh.read()\n"
                    "    async with httpx.AsyncClient() as client:\n"
                    "        await client.get(url)\n"
                    "    return await asyncio.to_thread(read)\n",
                    "PERF008"),
              IsEmpty());
}

// --- PERF009: repeated attribute lookups in hot loops ---

TEST_F(PerformancePackTest, RepeatedChainInANestedLoopIsLow) {
  const std::vector<Finding> f = Check(
      "import math\n"
      "class Grid:\n"
      "    def score(self, rows):\n"
      "        total = 0\n"
      "        for row in rows:\n"
      "            for v in row:\n"
      "                a = self.config.values.get(v)\n"
      "                b = self.config.values.get(-v)\n"
      "                c = self.config.values.get(v * 2)\n"
      "                total += math.sqrt(a) + math.sqrt(b) + math.sqrt(c)\n"
      "        return total\n",
      "PERF009");
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_LOW);
}

TEST_F(PerformancePackTest, LookupsThatCannotBeHoistedAreNotReported) {
  EXPECT_THAT(Check("import math\n"
                    "def f(self, rows):\n"
                    "    for row in rows:\n"
                    "        self.config.values.get(row)\n"  // one loop deep only
                    "        self.config.values.get(row)\n"
                    "        self.config.values.get(row)\n"
                    "        for p in row:\n"
                    "            x = p.pos.x + p.pos.y + p.pos.x * p.pos.x\n"  // the loop variable
                    "            self.state.cur = p\n"
                    "            self.state.cur.v.w(1); self.state.cur.v.w(2); "
                    "self.state.cur.v.w(3)\n"     // reassigned in the loop
                    "            math.sqrt(p)\n"  // only twice
                    "            math.sqrt(x)\n",
                    "PERF009"),
              IsEmpty());
}

// --- PERF010: cognitive complexity ---

TEST_F(PerformancePackTest, DeeplyNestedFunctionIsReportedForCognitiveComplexity) {
  // Six nested ifs: cyclomatic 7 (no PERF004) but cognitive 1+2+3+4+5+6 = 21.
  std::string source = "def deep(a):\n";
  std::string indent = "    ";
  for (int i = 0; i < 6; ++i) {
    source += indent + "if a > " + std::to_string(i) + ":\n";
    indent += "    ";
  }
  source += indent + "return a\n";
  const std::vector<Finding> f = Check(source);
  ASSERT_THAT(RuleIds(f), ElementsAre("PERF010"));
  EXPECT_EQ(f[0].line(), 1);
  EXPECT_THAT(f[0].message(), ::testing::HasSubstr("cognitive complexity 21"));
}

TEST_F(PerformancePackTest, FlatDispatchHasLowCognitiveComplexity) {
  // A 20-case match: cyclomatic 21 (PERF004 HIGH), cognitive 1.
  std::string source = "def dispatch(op):\n    match op:\n";
  for (int i = 0; i < 20; ++i) {
    source +=
        "        case " + std::to_string(i) + ":\n            return " + std::to_string(i) + "\n";
  }
  EXPECT_THAT(RuleIds(Check(source)), ElementsAre("PERF004"));
}

TEST_F(PerformancePackTest, CognitiveComplexityAboveThirtyIsHigh) {
  std::string source = "def deep(a):\n";
  std::string indent = "    ";
  for (int i = 0; i < 8; ++i) {  // 36
    source += indent + "for x" + std::to_string(i) + " in a:\n";
    indent += "    ";
  }
  source += indent + "pass\n";
  const std::vector<Finding> f = Check(source, "PERF010");
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity(), conclave::v1::SEVERITY_HIGH);
}

TEST_F(PerformancePackTest, CleanCodeHasNoFindings) {
  EXPECT_THAT(Check("import io\n\n"
                    "def render(rows):\n"
                    "    parts = []\n"
                    "    seen = set()\n"
                    "    for row in rows:\n"
                    "        if row.id in seen:\n"
                    "            continue\n"
                    "        seen.add(row.id)\n"
                    "        parts.append(str(row))\n"
                    "    return ''.join(parts)\n"),
              IsEmpty());
}

// --- pathological inputs ---

// A function nesting `depth` statements, alternately a loop over xs and a membership test on
// the list `seen`, each indented one space more, with a concatenation innermost.
std::string DeepLoops(int depth) {
  std::string source = "def deep(xs):\n    s = ''\n    seen = []\n";
  std::string indent = "    ";
  for (int i = 0; i < depth; ++i) {
    source += indent + (i % 2 == 0 ? "for a" + std::to_string(i) + " in xs:\n"
                                   : "if a" + std::to_string(i - 1) + " not in seen:\n");
    indent += " ";
  }
  return source + indent + "s += 'x'\n";
}

TEST_F(PerformancePackTest, FiveHundredDeepNestingDoesNotCrash) {
  // tree-sitter-python keeps indentation columns in a byte, so past column 255 the parse is
  // an error; the pack must still finish.
  Check(DeepLoops(500));
}

TEST_F(PerformancePackTest, DeepNestingIsAnalyzedAsDeepAsTheParserGoes) {
  const std::string source = DeepLoops(200);
  // 100 loops over xs nest in one another: each inner one reports once.
  EXPECT_THAT(Check(source, "PERF001"), SizeIs(99));
  EXPECT_THAT(Check(source, "PERF002"), SizeIs(1));
  EXPECT_THAT(Check(source, "PERF003"), SizeIs(100));
  const std::vector<Finding> complexity = Check(source, "PERF004");
  ASSERT_THAT(complexity, SizeIs(1));
  EXPECT_THAT(complexity[0].message(), ::testing::HasSubstr("complexity 201"));
}

TEST_F(PerformancePackTest, FiveHundredDeepComprehensionsDoNotCrash) {
  std::string expression = "x";
  for (int i = 0; i < 500; ++i) expression = "[" + expression + " for x in xs]";
  EXPECT_THAT(Check("def f(xs):\n    return " + expression + "\n", "PERF001"), SizeIs(499));
}

TEST_F(PerformancePackTest, TenThousandLineFileDoesNotCrash) {
  std::string source;
  for (int i = 0; source.size() < 400000 || i % 8 != 0; ++i) {
    if (i % 8 == 0) source += "def f" + std::to_string(i) + "(xs):\n    s = ''\n";
    source += "    for x in xs:\n        s += x\n";
  }
  int lines = 0;
  for (char c : source) lines += c == '\n';
  ASSERT_GE(lines, 10000);
  EXPECT_THAT(Check(source, "PERF002"), SizeIs(::testing::Ge(4000u)));
}

TEST_F(PerformancePackTest, LongConcatenationChainDoesNotCrash) {
  std::string source = "def f(xs):\n    for a in xs:\n        s = s";
  for (int i = 0; i < 10000; ++i) source += " + a";
  source += "\n";
  EXPECT_THAT(Check(source), ::testing::Each(::testing::Property(&Finding::rule_id, "PERF002")));
}

TEST_F(PerformancePackTest, LongMethodChainsAndExpressionsInLoopsStayBounded) {
  // A 5000-link query chain, a 5000-term boolean condition and a 5000-name attribute chain
  // in a nested loop of an async def: every walk is bounded, nothing recurses.
  std::string chain = "session.query(U)";
  for (int i = 0; i < 5000; ++i) chain += ".filter(x == " + std::to_string(i) + ")";
  std::string condition = "a";
  for (int i = 0; i < 5000; ++i) condition += (i % 2 == 0 ? " and a" : " or a");
  std::string attribute = "self";
  for (int i = 0; i < 5000; ++i) attribute += ".f";
  const std::string source =
      "import re, time\n"
      "async def f(session, xs):\n"
      "    for x in xs:\n"
      "        for y in xs:\n"
      "            " +
      chain +
      ".first()\n"
      "            if " +
      condition +
      ":\n"
      "                re.search(x + " +
      attribute +
      ", y)\n"
      "                " +
      attribute + "(1); " + attribute + "(2); " + attribute +
      "(3)\n"
      "                time.sleep(1)\n";
  EXPECT_THAT(Check(source, "PERF008"), SizeIs(1));
  EXPECT_THAT(Check(source, "PERF007"), SizeIs(1));
  // The chain is longer than the walk down it: the query is found from the innermost links
  // only, once.
  EXPECT_THAT(Check(source, "PERF006"), SizeIs(1));
  const std::vector<Finding> cognitive = Check(source, "PERF010");
  ASSERT_THAT(cognitive, SizeIs(1));
  // for +1, for +2, if +3, and 5000 alternating operators: 5000 runs.
  EXPECT_THAT(cognitive[0].message(), ::testing::HasSubstr("cognitive complexity 5006"));
}

TEST_F(PerformancePackTest, SyntaxErrorsDoNotCrash) {
  Check("def f(xs:\n    for a in xs\n        for b in xs:\n            s += 'a'\n   x in [\n");
}

}  // namespace
}  // namespace conclave::performance
