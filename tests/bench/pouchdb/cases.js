// cases.js: the cases of the sync benchmark, and their edits
//
// Cases of 2025 at the offices of data/offices.json (Lai Châu: communes and districts) for the
// procedures of data/catalogue.json, in the state of 31 December 2025, drawn as
// tests/bench/motcua-bench-gen.c draws them: mostly online, at communes, in office hours on
// working days (data/calendar-*.json), ~90 % resolved (~55 % early, ~44 % on time, <1 % late)
// with the result, return and rating, the rest open; due dates in working days as libmotcua
// computes them. The applicants come from a port of motcua_bench_person()
// (tests/bench/motcua-bench-data.c): the same name tables, citizen IDs and phones.
//
// Every case is also an entry of the "motcua-cases" import format (data/README.md), so the same
// cases can be imported into a Một Cửa replica (writeDump() writes them, with the edits).
//
// The same seed gives the same cases and edits.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DATA = path.join(__dirname, '..', '..', '..', 'data');
const YEAR = 2025;
const SNAPSHOT = Date.UTC(YEAR, 11, 31);
const DAY_MS = 86400000;

// ---------------------------------------------------------------------------------------------
// Random numbers

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

// splitmix64, as motcua_bench_mix().
function mix64(x) {
  x = (x + GOLDEN) & MASK64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return x ^ (x >> 31n);
}

class Stream64 {
  constructor(state) { this.state = state & MASK64; }
  next() {
    this.state = (this.state + GOLDEN) & MASK64;
    return mix64(this.state);
  }
  below(n) { return Number(this.next() % BigInt(n)); }
  double() { return Number(this.next() >> 11n) / 2 ** 53; }
}

// A fast seeded generator for everything but the applicants (mulberry32).
function makeRandom(seed) {
  let a = (seed * 0x9e3779b1) >>> 0;
  const double = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    double,
    int: (lo, hi) => lo + Math.floor(double() * (hi - lo)),   // [lo, hi)
    pick: (list) => list[Math.floor(double() * list.length)],
    gaussian: () => Math.sqrt(-2 * Math.log(1 - double())) * Math.cos(2 * Math.PI * double()),
  };
}

function pickWeighted(items, weights, draw) {
  const total = weights[weights.length - 1];
  const target = draw * total;
  let lo = 0, hi = items.length - 1;

  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (weights[mid] > target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return items[lo];
}

function cumulative(weights) {
  let total = 0;
  return weights.map((w) => (total += w));
}

// ---------------------------------------------------------------------------------------------
// Applicants: motcua_bench_person()

const GROUP_KINH = 0, GROUP_THAI = 1, GROUP_HMONG = 2, GROUP_DAO = 3;

const FAMILIES = [
  ['Nguyễn', 230, GROUP_KINH], ['Trần', 75, GROUP_KINH], ['Lê', 55, GROUP_KINH],
  ['Phạm', 40, GROUP_KINH], ['Hoàng', 40, GROUP_KINH], ['Vũ', 30, GROUP_KINH],
  ['Đỗ', 20, GROUP_KINH], ['Bùi', 20, GROUP_KINH], ['Đặng', 18, GROUP_KINH],
  ['Ngô', 12, GROUP_KINH], ['Dương', 12, GROUP_KINH], ['Đinh', 12, GROUP_KINH],
  ['Lò', 55, GROUP_THAI], ['Hà', 35, GROUP_THAI], ['Tòng', 20, GROUP_THAI],
  ['Lường', 20, GROUP_THAI], ['Điêu', 15, GROUP_THAI], ['Quàng', 15, GROUP_THAI],
  ['Vàng', 40, GROUP_HMONG], ['Sùng', 32, GROUP_HMONG], ['Giàng', 32, GROUP_HMONG],
  ['Lý', 22, GROUP_HMONG], ['Thào', 15, GROUP_HMONG], ['Mùa', 12, GROUP_HMONG],
  ['Lù', 10, GROUP_HMONG], ['Hảng', 8, GROUP_HMONG], ['Cứ', 8, GROUP_HMONG],
  ['Tẩn', 18, GROUP_DAO], ['Chảo', 14, GROUP_DAO], ['Phàn', 10, GROUP_DAO],
];
const FAMILY_TOTAL = FAMILIES.reduce((sum, f) => sum + f[1], 0);

const MIDDLE_MALE = [
  ['Văn', 'Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thanh', 'Xuân'],
  ['Văn', 'Văn', 'Văn', 'Văn', 'Văn', 'Văn', 'Văn', 'Thanh'],
  ['A', 'A', 'A', 'A', 'Văn', 'A', 'A', 'Seo'],
  ['Láo', 'Văn', 'Văn', 'Láo', 'Văn', 'Láo', 'Văn', 'Sành'],
];
const MIDDLE_FEMALE = [
  ['Thị', 'Thị', 'Thị Thu', 'Thị Thanh', 'Ngọc', 'Thị Kim', 'Thị Minh', 'Thị Hồng'],
  ['Thị', 'Thị', 'Thị', 'Thị', 'Thị', 'Thị', 'Thị', 'Thị Thu'],
  ['Thị', 'Thị', 'Thị', 'Mỷ', 'Thị', 'Thị', 'Thị', 'Thị'],
  ['Thị', 'Mùi', 'Thị', 'Thị', 'Sử', 'Thị', 'Thị', 'Thị'],
];
const GIVEN = [
  // [male, female] by group
  [['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Giang', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khánh',
    'Long', 'Minh', 'Nam', 'Phong', 'Phúc', 'Quân', 'Sơn', 'Thắng', 'Thành', 'Tuấn', 'Tùng', 'Việt',
    'Vinh', 'Hưng', 'Lâm', 'Nghĩa', 'Trung', 'Kiên'],
   ['Anh', 'Châm', 'Dung', 'Hà', 'Hằng', 'Hoa', 'Huyền', 'Hương', 'Lan', 'Liên', 'Linh', 'Loan',
    'Mai', 'Nga', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Thảo', 'Thúy', 'Trang', 'Vân', 'Yến',
    'Hạnh', 'Hiền', 'Tâm', 'Xuân', 'Ánh', 'Hồng']],
  [['Ơn', 'Piểng', 'Khăm', 'Ín', 'Pánh', 'Xiêng', 'Thoong', 'Biên', 'Inh', 'Cương', 'Hoan', 'Lả',
    'Khiêm', 'Dũng', 'Tiến', 'Sơn'],
   ['Ọn', 'Xuân', 'Pỏm', 'Ính', 'Bua', 'Lả', 'Ương', 'Ngoan', 'Hiên', 'Phanh', 'Duyên', 'Thơm',
    'Nhất', 'Lan', 'Hoa', 'Mai']],
  [['Páo', 'Chứ', 'Dì', 'Lềnh', 'Tủa', 'Sình', 'Pó', 'Tráng', 'Chống', 'Dế', 'Của', 'Sử', 'Vừ',
    'Lử', 'Sếnh', 'Dua', 'Chơ', 'Tu'],
   ['Dua', 'Mỷ', 'Pàng', 'Xúa', 'Chá', 'Ly', 'Say', 'Mai', 'Dợ', 'Sua', 'Ca', 'Máy', 'Chở', 'Pằng',
    'Dính', 'Xía']],
  [['Phấu', 'Sành', 'Kiều', 'Chàn', 'Quẩy', 'Phin', 'Lở', 'Dao', 'Chiêu', 'Vảng'],
   ['Mẩy', 'Sói', 'Xe', 'Lở', 'Nái', 'Lai', 'Chạ', 'Pham', 'Mây', 'Dùn']],
];
const OTHER_PROVINCES = ['001', '010', '011', '014', '015', '017', '026', '030', '034', '036',
                         '038', '040'];
const MOBILE_PREFIXES = [
  '032', '033', '034', '035', '036', '037', '038', '039', '070', '076', '077', '078', '079',
  '081', '082', '083', '084', '085', '086', '088', '089', '090', '091', '092', '093', '094',
  '096', '097', '098', '086', '097', '098', '096', '036', '037',
];

function person(seed, index) {
  const s = new Stream64(mix64(((BigInt(seed) * 0x100000001b3n) & MASK64) ^ BigInt(index)));
  let draw = s.below(FAMILY_TOTAL);
  let family = FAMILIES[0];

  for (const f of FAMILIES) {
    if (draw < f[1]) {
      family = f;
      break;
    }
    draw -= f[1];
  }
  const female = s.below(100) < 52;
  const middle = (female ? MIDDLE_FEMALE : MIDDLE_MALE)[family[2]][s.below(8)];
  const names = GIVEN[family[2]][female ? 1 : 0];
  const u = s.double();
  const given = names[Math.floor(names.length * u * u) % names.length];

  const birthYear = 1940 + s.below(68);
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const province = s.below(100) < 88 ? '012' : OTHER_PROVINCES[s.below(OTHER_PROVINCES.length)];
  const citizenId = province + centurySex + String(birthYear % 100).padStart(2, '0') +
                    String(s.below(1000000)).padStart(6, '0');
  let phone = null;
  if (s.below(100) < 88) {
    const prefix = MOBILE_PREFIXES[s.below(MOBILE_PREFIXES.length)];
    phone = prefix + String(s.below(10000000)).padStart(7, '0');
  }

  return { name: `${family[0]} ${middle} ${given}`, citizen_id: citizenId, phone, female };
}

// ---------------------------------------------------------------------------------------------
// Places, calendar

const SYLLABLES_FIRST = [
  'Nậm', 'Mường', 'Pa', 'Phìn', 'Tà', 'Sì', 'Bum', 'Ka', 'Thu', 'Hua', 'Dào', 'Khổng', 'Sin',
  'Chăn', 'Lùng', 'Pú', 'Huổi', 'Nà', 'Tông', 'Khun', 'Noong', 'Phăng', 'Hồ', 'Lản', 'Mù', 'Tả',
  'Vàng', 'Bản', 'Căn', 'Pắc', 'Ma', 'Xà', 'Hô', 'Lê', 'Cò',
];
const SYLLABLES_SECOND = [
  'Hồ', 'Lào', 'Nưa', 'Tở', 'Chải', 'Hô', 'Tủng', 'Pao', 'Lư', 'Sán', 'Xe', 'Manh', 'Hàng',
  'Ma', 'Tè', 'Mạ', 'Kha', 'Bon', 'Tiến', 'Thàng', 'Cang', 'Sáng', 'Ngà', 'Bó', 'Luông', 'Mỏ',
  'Chà', 'Hán', 'Khương', 'Cuổi', 'Tòng', 'Pồ', 'Khao', 'Lìn', 'Mu', 'Sảng', 'Chản', 'Hăn',
];

function villageName(rand) {
  const kind = rand.int(0, 10);

  if (kind < 2)
    return `Tổ dân phố ${rand.int(1, 16)}`;
  const place = `${rand.pick(SYLLABLES_FIRST)} ${rand.pick(SYLLABLES_SECOND)}`;
  return `${kind < 8 ? 'Bản' : 'Thôn'} ${place}`;
}

function readJson(name) {
  return JSON.parse(fs.readFileSync(path.join(DATA, name), 'utf8'));
}

class Calendar {
  constructor() {
    this.off = new Set();
    this.working = new Set();
    for (const year of [YEAR, YEAR + 1]) {
      const file = `calendar-${year}.json`;
      if (!fs.existsSync(path.join(DATA, file)))
        continue;
      for (const day of readJson(file).days)
        (day.kind === 'working' ? this.working : this.off).add(day.date);
    }
  }

  isWorking(ms) {
    const date = isoDate(ms);
    if (this.working.has(date))
      return true;
    const weekday = new Date(ms).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.off.has(date);
  }

  // As motcua_calendar_add_working_days(): n = 0 is the first working day from @ms on, else
  // the n-th working day after it.
  addWorkingDays(ms, n) {
    let day = ms - (ms % DAY_MS) + (n > 0 ? DAY_MS : 0);
    let need = Math.max(n, 1);

    for (;; day += DAY_MS) {
      if (this.isWorking(day) && --need === 0)
        return day;
    }
  }
}

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

// Vietnam time, as the replica writes it.
function isoTime(dayMs, seconds) {
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${isoDate(dayMs)}T${hh}:${mm}:${ss}+07:00`;
}

// 07:30–11:30 and 13:30–17:00.
function officeSeconds(rand) {
  if (rand.int(0, 100) < 55)
    return 7 * 3600 + 1800 + rand.int(0, 4 * 3600);
  return 13 * 3600 + 1800 + rand.int(0, 3 * 3600 + 1800);
}

function secondsAfter(rand, after) {
  const room = 86399 - after;
  return room === 0 ? after : after + 1 + rand.int(0, Math.min(room, 4 * 3600));
}

// ---------------------------------------------------------------------------------------------
// Cases

const RESULTS = ['Giấy chứng nhận', 'Quyết định', 'Giấy phép', 'Trích lục', 'Văn bản trả lời',
                 'Bản sao chứng thực', 'Giấy xác nhận'];
const PRIORITIES = [[0.03, 'elderly'], [0.04, 'disabled'], [0.05, 'veteran'], [0.055, 'child'],
                    [0.06, 'pregnant']];

function setup(rand) {
  const offices = readJson('offices.json').offices;
  const procedures = readJson('catalogue.json').procedures;
  const byCode = new Map(offices.map((o) => [o.code, o]));
  const at = { commune: { items: [], weights: [] }, district: { items: [], weights: [] } };

  for (const office of offices) {
    office.place = office.name.replace(/^UBND /, '');
    office.receipts = 0;
    if (at[office.level]) {
      at[office.level].items.push(office);
      at[office.level].weights.push(Math.exp(0.5 * rand.gaussian()) *
                                    (office.level === 'district' ? 2 : 1));
    }
  }
  for (const level of Object.values(at))
    level.weights = cumulative(level.weights);

  const proceduresAt = {};
  for (const level of ['commune', 'district']) {
    const items = procedures.filter((p) => p.levels.includes(level));
    proceduresAt[level] = {
      items,
      weights: cumulative(items.map(() => Math.exp(1.2 * rand.gaussian()))),
    };
  }

  // The days of the year, weighted as the desks are busy (online submissions on days off).
  const calendar = new Calendar();
  const MONTH = [1.15, 0.8, 1.0, 1.0, 1.0, 1.05, 1.0, 1.1, 0.95, 1.0, 1.0, 1.1];
  const WEEKDAY = [0.6, 1.15, 1.0, 1.0, 1.0, 0.9, 0.6];   // Sunday first
  const days = [], dayWeights = [];
  for (let ms = Date.UTC(YEAR, 0, 1); ms <= SNAPSHOT; ms += DAY_MS) {
    const date = new Date(ms);
    days.push(ms);
    dayWeights.push(calendar.isWorking(ms) ? MONTH[date.getUTCMonth()] * WEEKDAY[date.getUTCDay()]
                                           : 0.12 * MONTH[date.getUTCMonth()]);
  }

  return { byCode, at, proceduresAt, calendar, days, dayWeights: cumulative(dayWeights) };
}

function makeCase(ctx, rand, seed, population) {
  const { calendar } = ctx;
  const level = rand.double() < 0.75 ? 'commune' : 'district';
  const receiving = pickWeighted(ctx.at[level].items, ctx.at[level].weights, rand.double());
  let handling = receiving;
  let procedure = pickWeighted(ctx.proceduresAt[level].items, ctx.proceduresAt[level].weights,
                               rand.double());

  // Một cửa liên thông: a commune receives, its district decides.
  if (level === 'commune' && rand.int(0, 100) < 5) {
    handling = ctx.byCode.get(receiving.parent);
    procedure = pickWeighted(ctx.proceduresAt.district.items, ctx.proceduresAt.district.weights,
                             rand.double());
  }

  const who = person(seed, Math.floor(population * Math.pow(rand.double(), 1.3)));
  const district = receiving.level === 'commune' ? ctx.byCode.get(receiving.parent) : null;
  const address = [villageName(rand), receiving.place, district && district.place]
    .filter(Boolean).join(', ');

  const day = pickWeighted(ctx.days, ctx.dayWeights, rand.double());
  const working = calendar.isWorking(day);
  const seconds = working && rand.int(0, 100) < 85 ? officeSeconds(rand)
                                                   : 6 * 3600 + rand.int(0, 16 * 3600);
  const inHours = working && seconds >= 7 * 3600 + 1800 && seconds < 17 * 3600;

  let channel = 'online';
  if (inHours && rand.int(0, 1000) >= 935) {
    const c = rand.int(0, 10);
    channel = c < 6 ? 'counter' : c < 9 ? 'postal' : 'home';
  }
  const p = rand.double();
  const priority = (PRIORITIES.find(([limit]) => p < limit) || [0, null])[1];

  const due = calendar.addWorkingDays(day, procedure.processing_days);
  const docs = procedure.documents.length;
  const papers = [];
  for (let i = 0; i < docs; i++)
    if (i < 2 || i + 1 < docs || rand.int(0, 2) === 0)
      papers.push(i);

  const record = {
    receipt_no: null,          // given in order of reception, once all are drawn
    procedure: procedure.code,
    receiving_office: receiving.code,
    handling_office: handling.code,
    applicant: { name: who.name, citizen_id: who.citizen_id },
    channel,
    received_at: isoTime(day, seconds),
    due_date: isoDate(due),
    papers,
    status: 'received',
  };
  if (who.phone)
    record.applicant.phone = who.phone;
  record.applicant.address = address;
  if (priority)
    record.priority = priority;

  // Its state on 31 December: recent cases are still open more often.
  const age = (SNAPSHOT - day) / DAY_MS;
  const pOpen = 0.8 * Math.exp(-age / 25) + 0.035;
  const draw = rand.double();

  if (draw < 0.005) {
    let resolved = Math.min(day + rand.int(0, 6) * DAY_MS, SNAPSHOT);
    record.status = draw < 0.004 ? 'withdrawn' : 'cancelled';
    record.resolved_at = isoTime(resolved, resolved === day ? secondsAfter(rand, seconds)
                                                            : officeSeconds(rand));
    return record;
  }

  if (rand.double() >= pOpen) {
    const timeliness = rand.double();
    let resolved;
    if (timeliness < 0.008)
      resolved = calendar.addWorkingDays(due, rand.int(1, 7));
    else if (timeliness < 0.563 && due > day) {
      // Early: a working day before the due date.
      const choices = [];
      for (let d = day; d < due && d <= SNAPSHOT; d += DAY_MS)
        if (calendar.isWorking(d))
          choices.push(d);
      resolved = choices.length > 0 ? rand.pick(choices) : due;
    } else
      resolved = due;

    if (resolved <= SNAPSHOT) {
      const resolvedSeconds = resolved === day ? secondsAfter(rand, seconds) : officeSeconds(rand);
      record.resolved_at = isoTime(resolved, resolvedSeconds);
      if (rand.int(0, 100) < 3) {
        record.status = 'refused';
        record.result = 'Từ chối: hồ sơ không đủ điều kiện theo quy định';
        return record;
      }
      record.status = 'approved';
      record.result = rand.pick(RESULTS);
      if (rand.int(0, 100) < 85) {
        const returned = rand.int(0, 2) === 1 ? calendar.addWorkingDays(resolved, rand.int(1, 3))
                                              : resolved;
        if (returned <= SNAPSHOT) {
          record.status = 'returned';
          record.returned_at = isoTime(returned, returned === resolved
                                                 ? secondsAfter(rand, resolvedSeconds)
                                                 : officeSeconds(rand));
          const via = rand.int(0, 100);
          record.returned_via = channel === 'online'
            ? (via < 55 ? 'online' : via < 90 ? 'counter' : 'postal')
            : (via < 85 ? 'counter' : 'postal');
          if (rand.int(0, 100) < 35) {
            const r = rand.int(0, 100);
            record.rating = r < 80 ? 5 : r < 95 ? 4 : r < 98 ? 3 : r < 99 ? 2 : 1;
          }
        }
      }
      return record;
    }
  }

  const s = rand.int(0, 100);
  record.status = s < 25 && age < 10 ? 'received'
                  : s < 80 ? 'in_processing'
                  : s < 92 ? 'supplement_requested' : 'resubmitted';
  return record;
}

// UUIDv7, as libmotcua makes row ids: milliseconds first, then random bits.
function uuidv7(ms, rand) {
  const hex = (n, digits) => n.toString(16).padStart(digits, '0');
  const time = hex(ms, 12);
  const r = () => rand.int(0, 0x10000);

  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(r() & 0xfff, 3)}-` +
         `${hex(0x8000 | (r() & 0x3fff), 4)}-${hex(r(), 4)}${hex(r(), 4)}${hex(r(), 4)}`;
}

// @n cases: [{ id, record }] with record in the motcua-cases format.
function generateCases(n, seed) {
  const rand = makeRandom(seed);
  const ctx = setup(rand);
  const population = Math.max(Math.floor(n * 3 / 5), 1);
  const start = Date.UTC(2026, 0, 5, 1, 0, 0);
  const cases = [];

  const records = [];

  for (let i = 0; i < n; i++)
    records.push(makeCase(ctx, rand, seed, population));
  records.sort((a, b) => (a.received_at < b.received_at ? -1 : a.received_at > b.received_at));
  for (const record of records) {
    const office = ctx.byCode.get(record.receiving_office);
    record.receipt_no = `${office.code}-${YEAR}-${String(++office.receipts).padStart(6, '0')}`;
    cases.push({ id: uuidv7(start + cases.length, rand), record });
  }

  return cases;
}

// The edits: @edits cases edited on each side, @overlap of them the same cases. Each edit
// changes one field, @field (an editable field of motcua_replica_edit_case: phone by default) to
// a value that differs on the two sides.
function generateEdits(cases, { edits, overlap, clientField = 'phone', serverField = 'phone',
                                seed }) {
  const rand = makeRandom(seed + 1000003);
  const order = cases.map((_, i) => i);

  if (2 * edits - overlap > cases.length)
    throw new Error(`${edits} edits on each side with ${overlap} in common need ` +
                    `${2 * edits - overlap} cases; there are ${cases.length}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rand.int(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }

  const value = (field, record, side) => {
    if (field === 'phone')
      return rand.pick(MOBILE_PREFIXES) + String(rand.int(0, 10000000)).padStart(7, '0');
    if (field === 'address')
      return `${villageName(rand)} (${side === 'client' ? 'xác minh tại xã' : 'theo CSDL dân cư'})`;
    if (field === 'rating')
      return side === 'client' ? 4 : 5;
    throw new Error(`cannot make a value for ${field}`);
  };

  const client = order.slice(0, edits).map((i) => ({
    index: i, field: clientField, value: value(clientField, cases[i].record, 'client'),
  }));
  const serverIndices = order.slice(0, overlap).concat(order.slice(edits, 2 * edits - overlap));
  const server = serverIndices.map((i) => ({
    index: i, field: serverField, value: value(serverField, cases[i].record, 'server'),
  }));

  return { client, server };
}

// Applies an edit to a CouchDB document (the record's fields, applicant fields nested).
function applyEdit(doc, edit) {
  const applicant = { applicant_name: 'name', citizen_id: 'citizen_id', phone: 'phone',
                      address: 'address' }[edit.field];

  if (applicant)
    doc.applicant = { ...doc.applicant, [applicant]: edit.value };
  else
    doc[edit.field] = edit.value;
  return doc;
}

// The cases as a motcua-cases file and the edits by receipt number, for the Một Cửa side.
function writeDump(dir, cases, edits, meta) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify({
    format: 'motcua-cases',
    version: 1,
    cases: cases.map((c) => c.record),
  }, null, 1) + '\n');
  const byReceipt = (list) => list.map((e) => ({
    receipt_no: cases[e.index].record.receipt_no, field: e.field, value: e.value,
  }));
  fs.writeFileSync(path.join(dir, 'edits.json'), JSON.stringify({
    ...meta,
    client: byReceipt(edits.client),
    server: byReceipt(edits.server),
  }, null, 1) + '\n');
}

module.exports = { generateCases, generateEdits, applyEdit, writeDump, person };
