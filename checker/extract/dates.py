"""Dates (absolute, partial, ranges, weekdays, relative, quarters), times of day and durations
written in words. Candidates come from compiled patterns; each is normalized here against the
document's reference date. dateparser only ever sees a numeric date span we could not read.

Beyond one pattern per expression, a second pass composes neighbours: two dates joined by a range
word become one range ("from May to March", "Jan 12, 2016 - 01/22/2016", the year written once
serving both ends), a count of units before an anchor becomes an offset ("2 weeks from January 15",
"two days before yesterday"), bare day numbers before a month become days of it ("between 3 and 12 of
Sept", "from 4-23 in next month") and "the last week of July" becomes that week. Accuracy against the
Recognizers-Text specifications is measured by bench/spec_accuracy.py."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Iterator, Optional

from checker.extract.prefilter import Scanner, Tail
from checker.models import Claim, Value
from checker.normalize.numbers import ORDINALS, UNITS, TENS, parse_words

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTH_NUM.update({m.lower()[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)})
MONTH_NUM["sept"] = 9
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY_NUM = {w.lower(): i for i, w in enumerate(WEEKDAYS)}
WEEKDAY_NUM.update({w.lower()[:3]: i for i, w in enumerate(WEEKDAYS)})
WEEKDAY_NUM.update({"tues": 1, "thur": 3, "thurs": 3})

_MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
# a month next to a day or a year: any case ("14 nov", "Dec31"), but lower-case "may" and "march" are verbs
MON = (r"(?:(?i:january|february|april|june|july|august|september|october|november|december)|March|May|MARCH|MAY"
       r"|(?i:(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?)|(?i:may|march)(?=[\s/.-]*\d))")
# a month alone ("in august"): full names in any case except the verbs
_MON_ALONE = r"(?:(?i:january|february|april|june|july|august|september|october|november|december)|March|May|MARCH|MAY)"
WD = (r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
      r"|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thurs\.|Fri\.|Sat\.|Sun\.)")
# a weekday written before a date may be abbreviated without a dot: "Wed Oct 26", "Sun 14th"
_WD_ATT = rf"(?:{WD}|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?![a-z]))"
_ORD_WORDS = "|".join(re.escape(w).replace("\\-", "[\\s-]") for w in sorted(ORDINALS, key=len, reverse=True))
_DAYNUM_WORDS = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
DAY = (rf"(?:(?<![\d.,:])(?<![$€£¥]\s)(?<![$€£¥])[0-3]?\d(?:st|nd|rd|th)?(?!\d)|(?i:{_ORD_WORDS})(?![\w-])"
       rf"|(?:(?:{_DAYNUM_WORDS})(?:[\s-](?:{_DAYNUM_WORDS}))?)(?![\w-])(?!\s+(?i:thousand|hundred)))")
YEAR = r"(?:1[6-9]\d\d|20\d\d|21\d\d)"
_Y99 = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|"
        r"eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
        r"one|two|three|four|five|six|seven|eight|nine|o\s+(?:one|two|three|four|five|six|seven|eight|nine))")
# a year in words: "nineteen eighty six", "seventeen hundred thirty three", "two thousand and fifteen"
YEAR_WORDS = (rf"(?i:(?:sixteen|seventeen|eighteen|nineteen|twenty)(?:\s+hundred)?(?:\s+and)?\s+{_Y99}"
              rf"|two\s+thousand(?:(?:\s+and)?\s+{_Y99})?)(?![\w-])(?!\s+(?!and\b|or\b|to\b|when\b|before\b|after\b|until\b)[a-z])")
_YSEP = r"(?:\s*,\s*|\s+of\s+|\s+in\s+|\s+|-)"

_MODS = (r"(?P<mod>(?i:since|before|after|until|till|by|through|from|early|mid|late|the end of|"
         r"the beginning of|the start of|the middle of|end of|start of|beginning of|middle of|"
         r"no later than|not later than|no earlier than|not before|as of|prior to|later than|earlier than|"
         r"as early as|as late as|starting(?:\s+(?:from|on))?|up\s+to|til))")
# "since the end of 1989", "before the end of December": a bound on a part of a period
_PART = r"(?:(?P<part>(?i:the\s+end|the\s+beginning|the\s+start|the\s+middle|end|beginning|start|middle))\s+of\s+)"
_N = (r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
      r"a\s+couple\s+of|a\s+few|few|couple(?:\s+of)?)")
_UNIT = r"(?:days?|weeks?|months?|years?|fortnights?|decades?|quarters?)"

DATE = re.compile(
    # every date starts a word: the lookbehind makes the scan skip the inside of words cheaply
    r"(?<![A-Za-z0-9])"
    rf"(?:(?<![\w-]){_MODS}[\s-]+{_PART}?)?"
    r"(?:"
    # Tuesday, June 3, 2025 / June 3-7, 2025 / Jan. 5 / June 3 to July 2, 2025 / Monday (Jan 5) / Oct/2 / Dec31
    rf"(?:(?P<wd1>{_WD_ATT})(?:'s)?,?\s+(?:\(\s*)?(?:the\s+)?)?"
    rf"(?P<mon1>(?(wd1)(?:{MON}|(?i:may|march))|{MON}))(?:\s*[/.-]\s*|\s+(?:the\s+)?|(?<=[A-Za-z])(?=\d))(?P<day1>{DAY})"
    rf"(?:(?P<rconn>\s*(?:-|–|—|(?i:to|through|until|and))\s*)(?:(?P<rmon>{MON})\s+)?(?:the\s+)?(?P<rday>{DAY}))?"
    rf"(?:{_YSEP}(?P<year1>{YEAR}(?!\d)|{YEAR_WORDS}))?"
    r"|"
    # 5 January 2026 / the 5th of January / second of Aug / 14th feb / 15 April of '87
    rf"(?:(?P<wd2>{_WD_ATT}),?\s+)?(?:the\s+)?(?P<day2>{DAY})(?:\s+day)?(?P<of2>\s+of)?(?:\s+|\s*[-/]\s*)(?P<mon2>{MON})"
    rf"(?:{_YSEP}(?P<year2>{YEAR}(?!\d)|{YEAR_WORDS})|\s+(?:of\s+'?|')(?P<yy2>\d\d)(?![\d:]))?"
    r"|"
    # June 2025 / June of 2025 / Dec-2018 / October two thousand / April of '87
    rf"(?P<mon3>{MON})(?:(?:\s*,\s*|\s+of\s+|\s+|\s*[-/]\s*)(?P<year3>{YEAR}(?!\d)|{YEAR_WORDS})"
    r"|\s+(?:of\s+'?|')(?P<yy3>\d\d)(?![\d:]))"
    r"|"
    # 2025-06-03, 2018-7-6, 2019/aug/01
    rf"(?:{_WD_ATT},?\s+)?(?P<iso>(?P<iy>(?:1[6-9]|20)\d\d)(?P<isep>[-/.])(?:(?P<im>[01]?\d)|(?P<imon>(?i:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sept|sep|oct|nov|dec)))(?P=isep)(?P<id>[0-3]?\d))(?![\d:])"
    r"|"
    # 02-02-2020, 23.04.2022 (configurable order unless one part is over 12)
    r"(?<![\d/.-])(?P<dnum>(?P<da>[0-3]?\d)(?P<dsep>[-.])(?P<db>[0-3]?\d)(?P=dsep)(?P<dy>(?:19|20)\d\d))(?![\d])"
    r"|"
    # 12-2015, 2015-3: a month and a year
    r"(?<![\d/.+-])(?P<my>1[0-2]|0?[1-9])-(?P<myy>(?:19|20)\d\d)(?![\d-])"
    r"|"
    r"(?<![\d/.+-])(?P<ym>(?:19|20)(?P<ymyy>\d\d))-(?P<ymm>1[0-2]|0?[1-9])(?![\d-])"
    r"|"
    # 6/3/2025, 10/2 (configurable order)
    rf"(?:{_WD_ATT},?\s+)?(?<![\d/.])(?P<slash>[01]?\d/[0-3]?\d(?:/(?:\d{{4}}|\d{{2}})|,\s*(?:19|20)\d\d(?!\d))?)(?![\d/])"
    r"|"
    # quarters and halves: Q3 2025, q1-2019, the first quarter of the year, next year's first quarter, 2019-Q1
    r"(?P<qtr>(?:(?P<qpre>(?i:last|this|next)\s+year's|(?:1[6-9]|20)\d\d's)\s+)?"
    r"(?:(?:(?i:the)\s+)?(?P<qord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]+(?i:quarter)|(?i:q)(?P<qnum>[1-4])(?!\w))"
    rf"(?:(?:\s+of|,)?(?:\s+|-)(?:(?i:the)\s+)?(?:(?i:fiscal)\s+)?(?:(?i:year)\s+)?(?P<qyear>{YEAR})(?!\d)|\s?'(?P<qyy>\d\d)"
    r"|\s+(?:of\s+)?(?P<qrel>(?i:last year|this year|next year|the year)))?)"
    r"|"
    rf"(?P<yq>(?P<yqy>{YEAR})[\s-](?i:q)(?P<yqn>[1-4])(?!\w))"
    r"|"
    rf"(?P<half>(?:the\s+)?(?P<hord>first|second)[\s-]+half|H(?P<hnum>[12]))(?:(?:\s+of)?\s+(?P<hyear>{YEAR}))?"
    r"|"
    rf"(?P<yh>(?P<yhy>{YEAR})\s(?i:h)(?P<yhn>[12])(?!\w))"
    r"|"
    # the 1990s, the '90s, the nineties, the 15th century
    r"(?P<decade>(?:(?i:the)\s+)?(?:(?P<dec4>1[6-9]\d0|20\d0)s|'(?P<dec2>\d0)s"
    r"|(?P<decw>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))))"
    r"|"
    rf"(?P<century>(?:(?i:the)\s+)?(?:(?P<cnum>[12]?\d)(?:st|nd|rd|th)|(?P<cword>(?i:{_ORD_WORDS})))[\s-]+(?i:century))"
    r"|"
    # fiscal 2025 / FY2025 / last fiscal year
    rf"(?P<fiscal>(?:(?i:fiscal)(?:\s+(?i:year))?|FY)\s?(?P<fyear>{YEAR}|\d\d)(?!\d))"
    r"|"
    r"(?P<fisrel>(?P<fisw>(?i:this|last|next|current|previous|the current))\s+(?i:fiscal\s+year))"
    r"|"
    # holidays: Christmas, New Year's Day, labor day weekend, black friday 2010
    r"(?P<holiday>(?:(?P<hrel>(?i:this|last|next))\s+)?(?P<hname>(?i:christmas(?:\s+(?:day|eve))?|new\s+year'?s?\s+(?:day|eve)|"
    r"new\s+year(?=\s*[.,;!?]|$)|halloween|valentine'?s\s+day|independence\s+day|thanksgiving(?:\s+day)?|labou?r\s+day|"
    r"memorial\s+day|black\s+friday|cyber\s+monday|earth\s+day|(?:saint|st\.?)\s+patrick'?s?(?:\s+day)?|"
    r"international\s+workers'?\s+day|boxing\s+day|good\s+friday|easter(?:\s+(?:sunday|monday))?|"
    r"martin\s+luther\s+king(?:\s+jr\.?)?\s+day|veterans'?\s+day|mother'?s\s+day|father'?s\s+day))"
    rf"(?:(?:\s*,)?\s+(?P<hdyear>{YEAR})(?!\d))?(?P<hwe>\s+(?i:weekend))?)"
    r"|"
    # seasons: summer 2025, last winter, in the spring
    r"(?P<season>(?:(?P<srel>(?i:this|last|next|past|coming|previous))\s+)?(?P<sname>(?i:spring|summer|autumn|winter)"
    rf"|[Ff]all(?=(?:\s+of)?\s+{YEAR}))(?:(?:\s+of)?\s+(?P<syear>{YEAR})(?!\d))?)"
    r"|"
    # mid-2024, late 2025 (handled by the modifier group) and a year alone
    rf"(?:(?i:(?:the\s+)?(?:calendar\s+)?year\s+(?:of\s+)?))?(?P<year4>(?<![\d,.$£€])(?<!\d-){YEAR}(?!\d|,\d|\s?(?:%|percent)))"
    r"|"
    rf"(?P<yword>(?<![\w-]){YEAR_WORDS})"
    r"|"
    # a weekday with a day of the month: Sunday 31, Wed 13th, tuesday the eleventh
    rf"(?P<wd7>(?<![\w-]){_WD_ATT}),?\s+(?:the\s+)?(?P<day7>[0-3]?\d(?:st|nd|rd|th)(?![\w])|[0-3]?\d(?![\d:.,/]\d|\s*[a-zA-Z%$]|\s*-)"
    rf"|(?i:{_ORD_WORDS})(?![\w-]))"
    r"|"
    # weekdays alone: on Monday, Monday's, early Sunday, last Friday, tuesday of next week
    r"(?:(?P<wpre>(?i:next|last|this|previous|past|coming|following)\s+week)\s+)?"
    r"(?:(?P<wrel>(?i:last|next|this|previous|past|coming|following))\s)?(?P<wd5>(?<![\w-])" + WD + r")(?:'s|’s)?"
    r"(?:\s+of\s+(?P<wof>(?i:next|last|this|the\s+following|the\s+previous|the\s+coming|the\s+next)\s+week))?"
    r"|"
    # the 18th, the twenty-ninth (a day of the month alone)
    r"(?P<ordday>(?i:the)\s+(?P<od>[0-3]?\d(?:st|nd|rd|th)|(?i:eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth))))"
    r"|"
    # a month alone: in November, since August
    rf"(?P<mon6>(?<![\w]){_MON_ALONE}|(?<![\w-])(?:Sept|Aug|Oct|Nov|Dec|Jan|Feb)\.(?!\s*\d)"
    r"|(?<![\w-])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?=\s*(?:[,.;]|$|\s+(?i:to|through|till|until|and)\b)))"
    r"|"
    # relative expressions
    r"(?P<rel>(?i:(?:this|tomorrow|yesterday|next|last)\s+(?:morning|afternoon|evening|night)|yesterday|today|tomorrow|tonight|tmrw|"
    r"the\s+day\s+(?:after|before)\s+(?:tomorrow|yesterday)|the\s+week\s+after\s+next|"
    r"(?:last|this|next|past|previous|coming|current|following)\s+(?:calendar\s+)?"
    r"(?:week|month|year|quarter|weekend|decade|fortnight|(?:work(?:ing)?\s?week))(?:'s|’s)?|"
    r"(?:earlier|later)\s+(?:this|in\s+the)\s+(?:week|month|year)|"
    rf"(?:the\s+)?(?:last|past|next|coming|previous|following)\s+{_N}\s+{_UNIT}|"
    rf"(?<![.,$£€])\b{_N}\s+(?:upcoming|next|last|past|previous|coming)\s+(?:days|weeks|months|years|quarters|decades)|"
    rf"{_N}\s+{_UNIT}(?:(?:,\s*|\s+and\s+|\s+){_N}\s+{_UNIT})*\s+(?:ago|earlier|before|later|from\s+(?:now|today))|"
    rf"in\s+(?:{_N}|a|an)\s+{_UNIT}(?:'s|’s)?(?:\s+time)?|"
    r"the\s+(?:day|week|month|year)\s+(?:before|after)(?![ \t]+\w)|the\s+(?:next|following|previous)\s+day|"
    r"in\s+the\s+past\s+(?:week|month|year)|(?:the\s+)?year\s+to\s+date|so\s+far\s+this\s+year))"
    r")"
    r"(?P<post>\s+(?i:or|and)\s+(?i:later|after|earlier|before)(?!\s*(?:\d|(?i:than)))|\s+(?i:onwards?))?"
    r"(?![\w])",
)

# Words that make a capitalised weekday or month part of a name, not a date
_NAMED_DAYS = Tail(re.compile(r"(?:Good|Black|Cyber|Super|Ash|Easter|Holy|Maundy|Boxing|Giving|Bloody|Fat|Palm)\s+$"))
_NOT_MONTH_AFTER = re.compile(r"^\s*(?:[A-Z][a-z]+|\d+[A-Za-z])")

_AMPM = r"(?:[ap]\.m\.|[ap]\s?\.\s?m\s?\.|[ap]m\b|[AP]\.?M\b\.?|[ap]\.m\b|[ap]\sm\b)"
_HOUR_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MIN_WORDS = (r"(?:(?:twenty|thirty|forty|fifty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|"
              r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|o[\s-](?:one|two|three|four|five|"
              r"six|seven|eight|nine))")
_PART_OF_DAY = (r"(?:in\s+the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening)|at\s+night|this\s+(?:morning|afternoon|"
                r"evening)|tonight|last\s+night|(?:early|late)\s+(?:morning|evening))")
# one time of day: "9:03 a.m.", "1140 a.m.", "15:50:06", "10 o'clock", "nine a m", "5 in the morning", "10 past 9"
_TP = (rf"(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?)?\s?(?P<ampm>{_AMPM})"
       rf"|(?P<hm4>[01]?\d[0-5]\d)\s?(?P<ampm4>{_AMPM})"
       r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?::(?P<s24>[0-5]\d))?(?![\d:])(?!\s?(?:[ap]\.?\s?m\b))"
       rf"|(?P<hoc>[01]?\d|(?i:{_HOUR_WORDS}))\s*(?i:o['’]?\s?clock)"
       rf"|(?P<hw>(?i:{_HOUR_WORDS}))(?:[\s-]+(?P<mw>(?i:{_MIN_WORDS})))?\s+(?P<ampmw>(?i:[ap]\.?\s?m\b\.?))"
       rf"|(?P<hpd>[01]?\d|(?i:{_HOUR_WORDS}))(?:[:.](?P<mpd>[0-5]\d))?(?=\s+(?i:{_PART_OF_DAY}))"
       rf"|(?P<mp>[0-5]?\d|(?i:{_MIN_WORDS}|half|a\s+quarter|quarter))\s+(?:(?i:min(?:ute)?s?)\s+)?(?P<pt>(?i:past|to))\s+"
       rf"(?P<hp>[01]?\d(?!\d)|(?i:{_HOUR_WORDS}))(?:\s*(?i:o['’]?\s?clock))?"
       rf"|(?<=\bat\s)(?P<hat>(?i:{_HOUR_WORDS}))[\s-]+(?P<mat>(?i:{_MIN_WORDS}))(?![\w-])"
       r"|(?<=\bat\s)(?P<hat2>[01]?\d|2[0-3])(?:\.(?P<mat2>[0-5]\d))?(?![\d:.,]|\s*(?:%|[a-zA-Z]))"
       r"|\b(?P<named>(?i:noon|midnight|midday))\b)")
TIME = re.compile(rf"(?<![\w:.$£€])(?:{_TP})")
_TIME_POINT = re.compile(rf"(?:{_TP})$")
# a range of times: "8-9am", "between 3:00 pm and 5:00 pm", "from 10:30 to 3", "5 to seven in the morning"
_T_END = (rf"(?:[01]?\d(?:[:.][0-5]\d)?(?:\s?{_AMPM})?(?:\s*(?i:o['’]?\s?clock))?|[012]\d[0-5]\d"
          rf"|(?i:{_HOUR_WORDS})(?:[\s-]+(?i:{_MIN_WORDS}))?(?:\s+(?i:[ap]\.?\s?m\b\.?))?|(?i:noon|midnight))")
TIME_RANGE = re.compile(
    rf"(?<![\w:.$£€])(?:(?P<w>(?i:between|from))\s+)?(?P<a>{_T_END})\s*(?P<c>-|–|~|(?i:to|and|till|until|through))\s*"
    rf"(?P<b>{_T_END})(?![\w:.]\d|\d)(?P<pod>\s+(?i:{_PART_OF_DAY}))?"
)
_TIME_SCAN = Scanner(TIME, 4)
_TIME_RANGE_SCAN = Scanner(TIME_RANGE, 4)
_TIME_BOUND = Tail(re.compile(r"(?P<q>(?i:after|before|by|until|till|since|from|later\s+than|earlier\s+than|no\s+later\s+than|"
                              r"as\s+early\s+as|as\s+late\s+as|any\s*time\s+from|starting\s+at))\s+(?:(?i:around|about)\s+)?$"))
_TIME_FOR = re.compile(r"\s+(?i:for)\s+(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                       r"(?P<u>(?i:hours?|minutes?|mins?))(?:\s+(?P<n2>\d+)\s+(?P<u2>(?i:minutes?|mins?)))?\b")
_TIME_FOR_BEFORE = Tail(re.compile(r"(?<![\w])(?i:for)\s+(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                                   r"(?P<u>(?i:hours?|minutes?|mins?))(?:\s+(?P<n2>\d+)\s+(?P<u2>(?i:minutes?|mins?)))?\s+$"))
_DAY_AFTER_RANGE = re.compile(r"\s+(?i:yesterday|today|tomorrow|tonight|last\s+night|(?:next|this|last)\s+\w+day|\w+day)\b")
_ZONE = re.compile(
    r"\s?(?:\(?\s*(?P<local>local time)\s*\)?)?\s?(?:(?P<zone>GMT|UTC|BST|CET|CEST|EET|EEST|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|KST|JST|IST|AEST|AEDT|HKT|SGT)(?P<off>[+-]\d{1,2})?)?\b"
)
ZONES = {"GMT": 0, "UTC": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "ET": -300, "EST": -300,
         "EDT": -240, "CT": -360, "CST": -360, "CDT": -300, "MT": -420, "MST": -420, "MDT": -360, "PT": -480,
         "PST": -480, "PDT": -420, "KST": 540, "JST": 540, "IST": 330, "AEST": 600, "AEDT": 660, "HKT": 480,
         "SGT": 480}
_PM_PARTS = re.compile(r"(?i:afternoon|evening|night|tonight)")
_PART_BEFORE = Tail(re.compile(rf"(?i:(?:in\s+the\s+)?(?:early\s+|late\s+)?(?:morning|afternoon|evening)|tonight|last\s+night)\s+(?:at\s+)?$"))

_WORD_DURATION = re.compile(
    r"(?<![\w-])(?P<q>(?:about|around|nearly|almost|roughly|more than|less than|over|under|just over|just under)\s+)?"
    r"(?:"
    r"(?P<frac>(?:a|one)[\s-]half|half|½|(?:a|one)[\s-]quarter|(?:three|two)[\s-](?:quarters|thirds)|(?:a|one)[\s-]third)\s*(?:of\s+)?(?:an?\s+)?(?P<funit>hour|day|year|minute|week|month|decade|century)"
    r"|(?P<a>an?|one)\s+(?P<aunit>hour|day|week|month|year|decade|minute|century)(?P<ahalf>\s+and\s+(?:a\s+|one\s+)?(?:half|quarter))?(?P<along>-long)?"
    r"|(?P<wnum>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+(?:\.\d+)?)\s+and\s+(?:a\s+|one\s+)?(?P<wfrac>half|quarter)\s+(?P<hunit>hours?|days?|weeks?|months?|years?|minutes?|decades?)"
    r"|(?P<long>decade|year|month|week|day|hour|century)-long"
    r")(?![\w-])", re.I)
_WORD_DURATION_SCAN = Scanner(_WORD_DURATION, 4)
_DUR_UNIT = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2629800, "year": 31557600,
             "decade": 315576000, "century": 3155760000}
_A_DURATION_CONTEXT = Tail(re.compile(
    r"(?:for|lasted|lasting|last|took|takes|take|spent|spend|over|about|nearly|almost|roughly|around|than|after|"
    r"just|barely|only|some|least|within|in under|a full|the past|the last|the first|of)\s+$", re.I))
_FUTURE = re.compile(r"\b(?:will|shall|'ll|let's|let us|is to|are to|scheduled|set to|plans? to|planned|expected to|"
                     r"is due|are due|going to|upcoming|next|opens|begins|starts|runs)\b", re.I)


_FUTURE_NEAR = re.compile(r"\b(?:will|would|shall|'ll|is to|are to|set to|plans? to|expected to|going to|due to)\b", re.I)
_PAST_NEAR = re.compile(r"\b(?:said|told|was|were|had|did|announced|reported|met|held|signed|opened|closed|"
                        r"died|killed|struck|hit|made|came|began|started|ended|took|gave|won|lost|\w{3,}ed)\b", re.I)


# Python's re tries DATE's whole alternation at every word start; the scanner tries it only where its
# leading lookbehind holds and its first six characters can match, a tenth of the word starts. (A check
# that a word DATE spells out starts there filtered nothing more, and missed "tonight" after "½".)
_DATE_SCAN = Scanner(DATE, 6)


def date_matches(text: str):
    """DATE.finditer(text) (tests/test_prefilter.py checks)."""
    return _DATE_SCAN.finditer(text)


def _day_value(s: str) -> Optional[int]:
    s = s.strip().lower()
    m = re.match(r"(\d{1,2})", s)
    if m:
        return int(m.group(1))
    s = re.sub(r"\s+", "-", s)
    if s in ORDINALS:
        return ORDINALS[s]
    v = parse_words(s.replace("-", " "))
    return int(v) if v is not None else None


def _month(s: str) -> int:
    return MONTH_NUM[s.lower().rstrip(".")[:4] if s.lower().startswith("sept") else s.lower().rstrip(".")[:3]]


def _ordinal(d: dt.date) -> int:
    return d.toordinal()


def _fmt(lo: dt.date, hi: dt.date, gran: str) -> str:
    if gran == "day":
        return lo.isoformat() if lo == hi else f"{lo.isoformat()}/{hi.isoformat()}"
    if gran == "month":
        return f"{lo:%Y-%m}" if lo.month == hi.month and lo.year == hi.year else f"{lo:%Y-%m}/{hi:%Y-%m}"
    if gran == "year":
        return str(lo.year) if lo.year == hi.year else f"{lo.year}/{hi.year}"
    if gran == "quarter":
        return f"{lo.year}-Q{(lo.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{lo.year}-H{(lo.month - 1) // 6 + 1}"
    if gran == "decade":
        return f"{lo.year}s"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def date_value(lo: dt.date, hi: dt.date, gran: str, bound: str = "exact", **kw) -> Value:
    v = Value(lo=float(lo.toordinal()), hi=float(hi.toordinal()), unit="day", bound=bound, gran=gran, **kw)
    v.display = _fmt(lo, hi, gran)
    return v


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _nearest_year(month: int, day: int, ref: dt.date, future: bool) -> Optional[int]:
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, min(day, 28) if (month == 2 and day == 29 and not calendar.isleap(y)) else day)
        except ValueError:
            continue
        delta = (d - ref).days
        score = abs(delta) + (0 if (delta >= -3 if future else delta <= 3) else 60)
        if best is None or score < best[0]:
            best = (score, y)
    return best[1] if best else None


def _sentence_window(text: str, start: int, end: int) -> str:
    # searches bounded to the 200-character window: unbounded ones made long unpunctuated text quadratic
    lo, hi = max(0, start - 202), end + 202
    a = max(text.rfind(". ", lo, start), text.rfind("\n\n", lo, start), start - 200)
    b = [i for i in (text.find(". ", end, hi), text.find("\n\n", end, hi)) if i != -1]
    return text[max(a, 0):min(b + [end + 200])]


_LOWER_MODS = {"since", "from", "not before", "as of", "no earlier than", "as early as", "starting", "starting from",
               "starting on"}
_AFTER_MODS = {"after", "later than"}
_UPPER_MODS = {"until", "till", "til", "by", "through", "no later than", "not later than", "as late as", "up to"}
_BEFORE_MODS = {"before", "prior to", "earlier than"}
_PART_MODS = {"early": "start", "beginning": "start", "start": "start", "mid": "mid", "middle": "mid",
              "late": "end", "end": "end"}


def _part_name(mod: str) -> Optional[str]:
    return _PART_MODS.get(re.sub(r"^the\s+|\s+of$", "", mod.strip()))


def _apply_mod(v: Value, mod: Optional[str], lo: dt.date, hi: dt.date, gran: str) -> Value:
    """Bound a value by its modifier: 'since' -> lower, 'before' -> upper, 'late' -> the last third.

    mod may be 'outer|part' ("since|the end of" for "since the end of 1989"): the part is cut first,
    then bounded."""
    if not mod:
        return v
    outer, _, inner = re.sub(r"\s+", " ", mod.lower()).partition("|")
    if not inner and _part_name(outer):
        outer, inner = "", outer
    if inner:
        part = _part_name(inner)
        if part:
            if gran == "year" and lo.month == 1 and hi.month == 12 and lo.year == hi.year:
                # a year's parts are whole months: January-April, May-August, September-December
                cuts = {"start": (1, 4), "mid": (5, 8), "end": (9, 12)}[part]
                v.lo = float(dt.date(lo.year, cuts[0], 1).toordinal())
                v.hi = float(_month_end(lo.year, cuts[1]).toordinal())
            else:
                span = hi.toordinal() - lo.toordinal() + 1
                third = max(span // 3, 1)
                if part == "start":
                    v.hi = float(lo.toordinal() + third - 1)
                elif part == "end":
                    v.lo = float(hi.toordinal() - third + 1)
                else:
                    v.lo, v.hi = float(lo.toordinal() + third), float(hi.toordinal() - third)
            v.bound = "approx"
            v.display = f"{inner} {v.display}"
    if outer:
        cur_lo, cur_hi = v.lo, v.hi
        if outer in _LOWER_MODS or outer in _AFTER_MODS:
            v.bound, v.hi = "lower", None
            if outer in _AFTER_MODS and not inner and cur_hi is not None:
                v.lo = cur_hi + 1
        elif outer in _UPPER_MODS or outer in _BEFORE_MODS:
            v.bound, v.lo = "upper", None
            if outer in _BEFORE_MODS and not inner and cur_lo is not None:
                v.hi = cur_lo - 1
    return v


def extract_dates(text: str, ref: Optional[dt.date], day_first: bool = False) -> Iterator[Claim]:
    claims: list[Claim] = []
    for m in date_matches(text):
        try:
            claim = _date_claim(text, m, ref, day_first)
        except (ValueError, OverflowError, KeyError, IndexError):  # an odd span is no date, never a crash
            claim = None
        if claim is None:
            continue
        if m.group("post") and claim.end == m.end():  # "2012 or later", "1/1/2016 and after"
            post = m.group("post").lower()
            if re.search(r"later|after|onward", post):
                claim.value.bound, claim.value.hi = "lower", None
            else:
                claim.value.bound, claim.value.lo = "upper", None
        claims.append(claim)
    try:
        composed = _compose(text, claims, ref, day_first)
    except (ValueError, OverflowError, KeyError, IndexError):
        composed = claims
    yield from (c for c in composed if not _baseline(text, c))


_BASELINE_OFFSET = re.compile(r"^(?:(?P<intro>(?i:from|than))\s+)?\S+\s+\S+\s+(?i:earlier|ago|before)$")
_BASELINE_INTRO = Tail(re.compile(r"(?i:\b(?:from|than|compared\s+(?:with|to)|versus|vs\.?))\s+$"))
_CHANGE_BEFORE = Tail(re.compile(r"(?i:\b(?:rose|rise|risen|rising|fell|fall|fallen|falling|grew|grown|growing|increased?|"
                                 r"decreased?|declined?|jumped|dropped|climbed|slipped|gained|lost|up|down|higher|lower|"
                                 r"more|less)\b[^.;]{0,40})$"))


def _baseline(text: str, c: Claim) -> bool:
    """"Revenue rose 23 percent from a year earlier", "sales were higher than a year ago": the time a
    change is measured from, not a date the story states (two reports saying it on different days
    would otherwise 'disagree')."""
    if c.kind != "date" or c.value.year_known:
        return False
    m = _BASELINE_OFFSET.match(c.text)
    if not m:
        return False
    start = c.start
    if not m.group("intro"):
        intro = _BASELINE_INTRO.search(text, max(0, c.start - 16), c.start)
        if not intro:
            return False
        start = intro.start()
    return bool(_CHANGE_BEFORE.search(text, max(0, start - 60), start))


# ---- compositions of two expressions: ranges ("from May to March"), offsets ("2 weeks from January 15")

_RANGE_GAP = re.compile(r"\s*(?:-|–|—|~)\s*|\s+(?i:to|through|thru|till|until|and)\s+|\s*,\s+(?i:to)\s+")
_BETWEEN = Tail(re.compile(r"(?i:\b(?:between|from))\s+$"))
_DAY_BEFORE = Tail(re.compile(r"(?:(?P<w>\b(?i:between|from))\s+)?(?:(?i:the)\s+)?(?P<d1>[0-3]?\d)(?P<suf>st|nd|rd|th)?"
                              r"\s*(?P<c>-|–|(?i:to|through|until|and))\s*(?:(?i:the)\s+)?$"))
_DAYS_OF = Tail(re.compile(r"(?P<approx>\b(?i:around|about|approximately)\s+)?(?:(?P<w>\b(?i:between|from))\s+)?(?:(?i:the)\s+)?"
                           r"(?P<d1>[0-3]?\d)(?P<suf>st|nd|rd|th)?"
                           r"(?:\s*(?:-|–|(?i:to|through|until|and))\s*(?:(?i:the)\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
                           r"\s+(?:(?P<of>(?i:of|in))\s+(?:(?i:the)\s+)?)?$"))
_OFFSET = Tail(re.compile(rf"(?P<for>\b(?i:for)\s+)?(?P<counts>(?i:{_N}\s+{_UNIT}(?:(?:,\s*|\s+and\s+|\s+){_N}\s+{_UNIT})*))"
                          r"\s*,?\s+(?P<dir>(?i:before|after|from|since|later\s+than|earlier\s+than|prior\s+to|"
                          r"starting(?:\s+(?:from|on))?|beginning))\s+(?:(?i:next|this|last|coming)\s+)?$"))
_UNTIL_NOW = re.compile(r"\s+(?i:to|and|until|till|through)\s+(?i:now|date|the\s+present)\b")
_CONN_PREFIX = re.compile(r"(?i:through|till|until|til|to)\s+")
_DIR_PREFIX = re.compile(r"(?i:from|since|before|after|starting(?:\s+(?:from|on))?|prior\s+to|later\s+than|"
                         r"earlier\s+than|beginning)\s+")


def _days(v: Value) -> Optional[tuple[dt.date, dt.date]]:
    if v.lo is None or v.hi is None or v.invalid or v.unit != "day":
        return None
    return dt.date.fromordinal(int(v.lo)), dt.date.fromordinal(int(v.hi))


def _range_claim(text: str, start: int, end: int, lo: dt.date, hi: dt.date, gran: str, year_known: bool) -> Claim:
    v = date_value(lo, hi, gran if gran in ("month", "year") else "day", "range", year_known=year_known)
    if gran not in ("month", "year"):
        v.display = f"{lo.isoformat()}/{hi.isoformat()}"
    return Claim("date", start, end, text[start:end], v)


def _join(text: str, a: Claim, b: Claim, between, ref: Optional[dt.date] = None) -> Optional[Claim]:
    va, vb = a.value, b.value
    if ref is not None and va.gran == vb.gran == "month" and not va.year_known and not vb.year_known \
            and va.month and vb.month and va.lo is not None:
        # "between August and October", "May to March": the span holding the reference date, if one does
        for y in (ref.year - 1, ref.year):
            lo = dt.date(y, va.month, 1)
            hi = _month_end(y + (vb.month < va.month), vb.month)
            if lo <= ref <= hi:
                start = between.start() if between else a.start
                return _range_claim(text, start, b.end, lo, hi, "month", False)
    if va.bound not in ("exact", "range", "approx") or vb.bound not in ("exact", "range", "approx"):
        return None
    db = _days(vb)
    if db is None:
        return None
    if va.lo is None and va.gran == "monthday" and va.day and vb.month:  # "from the 27th to the third of April"
        y, mo = db[0].year, db[0].month
        if va.day > db[0].day:
            y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
        lo = dt.date(y, mo, min(va.day, calendar.monthrange(y, mo)[1]))
        da = (lo, lo)
    elif va.lo is None and va.month and vb.year_known:  # "from January to April 2015" without a reference date
        try:
            lo = dt.date(db[1].year, va.month, va.day or 1)
        except ValueError:
            return None
        if lo > db[1]:
            lo = lo.replace(year=lo.year - 1)
    else:
        da = _days(va)
        if da is None:
            return None
        lo = da[0]
    hi = db[1]
    if vb.weekday is not None and vb.month is None and hi < lo:  # "from next Monday to Friday"
        hi += dt.timedelta(days=7 * ((lo - hi).days // 7 + 1))
    if not va.year_known and vb.year_known and va.gran in ("day", "month") and va.month and va.weekday is None:
        # "from 5/1 to 5/7, 2020": the year written once belongs to both ends
        try:
            lo = lo.replace(year=hi.year)
        except ValueError:
            return None
        if lo > hi:
            lo = lo.replace(year=hi.year - 1)
    elif va.year_known and not vb.year_known and vb.gran in ("day", "month") and hi < lo:
        hi = hi.replace(year=lo.year) if hi.replace(year=lo.year) >= lo else hi.replace(year=lo.year + 1)
    if hi < lo and not vb.year_known:
        hi = hi.replace(year=hi.year + 1)
    if hi < lo or (hi - lo).days > 366 * 200:
        return None
    start = between.start() if between else a.start
    grans = {va.gran, vb.gran}
    gran = grans.pop() if len(grans) == 1 else "day"
    return _range_claim(text, start, b.end, lo, hi, gran, va.year_known or vb.year_known)


def _compose(text: str, claims: list[Claim], ref: Optional[dt.date], day_first: bool) -> list[Claim]:
    claims.sort(key=lambda c: c.start)
    out: list[Claim] = []
    i = 0
    while i < len(claims):
        a = claims[i]
        upto = _UNTIL_NOW.match(text, a.end)
        if upto and ref is not None and _days(a.value) and a.value.bound in ("exact", "range") and \
                (i + 1 >= len(claims) or claims[i + 1].start >= upto.end()):
            # "between Jan 22 and now", "from March to date"
            between = _BETWEEN.search(text, max(0, a.start - 9), a.start)
            lo = _days(a.value)[0]
            if lo <= ref:
                out.append(_range_claim(text, between.start() if between else a.start, upto.end(), lo, ref, "day",
                                        a.value.year_known))
                i += 1
                continue
        if i + 1 < len(claims):
            b = claims[i + 1]
            gap = text[a.end:b.start]
            conn = _CONN_PREFIX.match(b.text) if not gap.strip() else None
            if conn:  # "2014 through May 2018": the connector was read as the modifier of the second date
                bm = DATE.match(text, b.start + conn.end())
                base = _date_claim(text, bm, ref, day_first) if bm and bm.end() == b.end else None
                if base is not None:
                    base.start = b.start
                    joined = _join(text, a, base, _BETWEEN.search(text, max(0, a.start - 9), a.start), ref)
                    if joined is not None:
                        out.append(joined)
                        i += 2
                        continue
            if _RANGE_GAP.fullmatch(gap):
                between = _BETWEEN.search(text, max(0, a.start - 9), a.start)
                if gap.strip().lower() != "and" or between:
                    joined = _join(text, a, b, between, ref)
                    if joined is not None:
                        out.append(joined)
                        i += 2
                        continue
        out.append(a)
        i += 1
    result: list[Claim] = []
    for c in out:
        result.append(_week_of(text, c) or _days_before(text, c) or _offset(text, c, ref, day_first) or c)
    # an offset claim swallows the relative expression before its anchor ("two days before" + "yesterday")
    result.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Claim] = []
    for c in result:
        if kept and c.start < kept[-1].end:
            if c.end <= kept[-1].end:
                continue
            if c.start < kept[-1].start or (c.end - c.start) > (kept[-1].end - kept[-1].start):
                kept.pop()
        kept.append(c)
    return kept


_NTH_WEEK = Tail(re.compile(r"(?:(?i:the)\s+)?(?P<n>(?i:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th))\s+"
                            r"(?i:week)\s+(?i:of|in)\s+$"))
_WEEK_OF = Tail(re.compile(r"(?:(?:(?i:the)\s+)?(?i:week)\s+(?P<how>(?i:of|beginning|commencing|starting))\s+(?:(?i:on)\s+)?"
                           r"|(?i:w/c)\s+)$"))


def _week_of(text: str, c: Claim) -> Optional[Claim]:
    """'the last week of July', 'the third week of January', 'the week of June 3', 'w/c Feb 4'."""
    d = _days(c.value)
    if d is None or c.value.bound not in ("exact", "approx"):
        return None
    window = text[max(0, c.start - 30):c.start]
    m = _NTH_WEEK.search(window)
    if m and c.value.gran == "month":
        n = m.group("n").lower()
        first_monday = d[0] - dt.timedelta(days=d[0].weekday())
        if n == "last":
            lo = d[1] - dt.timedelta(days=d[1].weekday())
        else:
            lo = first_monday + dt.timedelta(weeks={"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2,
                                                    "fourth": 3, "4th": 3, "fifth": 4, "5th": 4}[n])
        s = c.start - len(window) + m.start()
        return _range_claim(text, s, c.end, lo, lo + dt.timedelta(days=6), "day", c.value.year_known)
    m = _WEEK_OF.search(window)
    if m and c.value.gran == "day" and d[0] == d[1]:
        lo = d[0] - dt.timedelta(days=d[0].weekday())  # the Monday-to-Sunday week holding the day
        s = c.start - len(window) + m.start()
        return _range_claim(text, s, c.end, lo, lo + dt.timedelta(days=6), "day", c.value.year_known)
    return None


def _days_before(text: str, c: Claim) -> Optional[Claim]:
    """'9 to 12 of June', 'between 3 and 12 of Sept', 'from 4-23 in next month', 'the 18th of next month'."""
    d = _days(c.value)
    if d is None:
        return None
    window = text[max(0, c.start - 40):c.start]
    if c.value.gran == "day" and c.value.day and c.text[:1].isdigit() or c.text[:4].lower() == "the ":
        m = _DAY_BEFORE.search(window)
        if m and (m.group("c").lower() != "and" or m.group("w")):
            d1 = int(m.group("d1"))
            y, mo = d[0].year, d[0].month
            if d1 > d[0].day:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            if 1 <= d1 <= calendar.monthrange(y, mo)[1]:
                return _range_claim(text, c.start - len(window) + m.start(), c.end, dt.date(y, mo, d1), d[1], "day",
                                    c.value.year_known)
    if c.value.gran == "month":
        m = _DAYS_OF.search(window)
        of = (m.group("of") or "").lower() if m else ""
        if m and not of and not (m.group("suf") and re.match(r"(?i:this|next|last)\s", c.text)):
            m = None  # "the 21st this month" needs its ordinal; "12 June" is read elsewhere
        if m and (m.group("suf") or of == "of" and m.group("d2") is None or m.group("d2") and m.group("w")):
            y, mo = d[0].year, d[0].month
            last = calendar.monthrange(y, mo)[1]
            d1 = int(m.group("d1"))
            d2 = int(m.group("d2")) if m.group("d2") else d1
            if not 1 <= d1 <= d2 <= last:
                return None
            s = c.start - len(window) + m.start()
            if d1 == d2:
                day = dt.date(y, mo, d1)
                v = date_value(day, day, "day", month=mo, day=d1, year_known=c.value.year_known)
                if m.group("approx"):
                    v.bound = "approx"
                return Claim("date", s, c.end, text[s:c.end], v)
            return _range_claim(text, s, c.end, dt.date(y, mo, d1), dt.date(y, mo, d2), "day", c.value.year_known)
    return None


def _offset(text: str, c: Claim, ref: Optional[dt.date], day_first: bool) -> Optional[Claim]:
    """'2 weeks from January 15', 'two days before yesterday', 'a week starting tomorrow'."""
    core = c.start
    dir_in_claim = _DIR_PREFIX.match(c.text)
    if dir_in_claim:
        core = c.start + dir_in_claim.end()
        window = text[max(0, c.start - 60):core]
    else:
        window = text[max(0, c.start - 60):c.start]
    m = _OFFSET.search(window)
    if not m:
        return None
    anchor = c
    if dir_in_claim:
        am = DATE.match(text, core)
        anchor = _date_claim(text, am, ref, day_first) if am and am.end() == c.end else None
        if anchor is None:
            return None
    d = _days(anchor.value)
    counts = _counts(m.group("counts"))
    if d is None or not counts:
        return None
    direction = m.group("dir").lower()
    start = c.start - (c.start - max(0, c.start - 60)) + m.start() if not dir_in_claim else \
        core - len(window) + m.start()
    if m.group("for") or direction.startswith(("starting", "beginning")):
        lo = d[0]
        hi = lo
        for n, unit in counts:
            hi = _shift(hi, n, unit)
        return _range_claim(text, start, c.end, lo, hi - dt.timedelta(days=1), "day", anchor.value.year_known)
    sign = -1 if direction.startswith(("before", "earlier", "prior")) else 1
    day = d[0]
    for n, unit in counts:
        day = _shift(day, sign * n, unit)
    v = date_value(day, day, "day", month=day.month, day=day.day, year_known=anchor.value.year_known)
    more = re.search(r"(?i:more\s+than|over|at\s+least)\s+$", text[max(0, start - 14):start])
    if more:  # "more than 2 weeks before today": any day before that one
        start -= len(more.group(0))
        if sign < 0:
            v.bound, v.lo = "upper", None
        else:
            v.bound, v.hi = "lower", None
    return Claim("date", start, c.end, text[start:c.end], v)


def _date_claim(text: str, m: re.Match, ref: Optional[dt.date], day_first: bool) -> Optional[Claim]:
    g = m.groupdict()
    mod = g.get("mod")
    start, end = m.start(), m.end()
    if mod and mod.lower() in ("earlier", "later"):
        return None  # "earlier Monday" style phrasing is read without the modifier by the next match
    if mod and mod.lower() in ("from", "as of"):
        # "from January 4 to 7" is a range; "data from 2014" speaks of 2014, not of anything after it;
        # "as of Jan. 3" dates a status, it bounds nothing
        mod = None
    if g.get("part"):
        mod = f"{mod or ''}|{g['part']} of"  # "since the end of 1989"
    if "(" in m.group(0) and text[end:end + 1] == ")":
        end += 1
    window = None

    def future() -> bool:
        nonlocal window
        if window is None:
            window = _sentence_window(text, start, end)
        near = text[max(0, start - 48):start]
        cut = max(near.rfind(". "), near.rfind("\n\n"))
        near = near[cut + 1:] if cut != -1 else near
        past = None
        for past in _PAST_NEAR.finditer(near):
            pass
        if past is not None:
            # "said negotiators would meet again in the autumn": a future marker after the past verb wins
            return bool(_FUTURE_NEAR.search(near, past.end()))
        return bool(_FUTURE.search(window))

    if _NAMED_DAYS.search(text, max(0, start - 12), start):
        return None

    # ---- month + day (optionally weekday, range, year)
    if g["mon1"] or g["day2"]:
        mon_s = g["mon1"] or g["mon2"]
        day_s = g["day1"] or g["day2"]
        if mon_s == "May" and not (g["day1"] or g["day2"]):
            return None
        day = _day_value(day_s)
        if day is None or day < 1:
            return None
        if not day_s[0].isdigit() and g["mon2"] is None and g["wd1"] is None:
            # "May twenty nine" is fine; "March one" inside prose rarely is a date
            if day_s.lower() in UNITS and len(day_s) < 4:
                return None
            if mon_s.islower() and mon_s in ("may", "march"):
                return None  # "may twenty" is a verb
        if g["day2"] and not day_s[0].isdigit() and g["of2"] and day_s.lower() not in ORDINALS \
                and _day_value(day_s) not in ORDINALS.values():
            return None  # "one of May's ...": a count, not a day
        if g["day2"] and not day_s[0].isdigit() and not re.search(r"(?i)first|second|third|th$", day_s) and \
                re.match(r"\s+[a-z]", text[end:end + 3]) and not (g["year2"] or g["yy2"]):
            return None  # "two March protests"
        month = _month(mon_s)
        year_s = g["year1"] or g["year2"]
        if g["yy2"]:
            year_s = str(_two_digit_year(int(g["yy2"])))
        ctime = re.match(rf"\s+[0-2]?\d:[0-5]\d(?::[0-5]\d)?\s+({YEAR})(?!\d)", text[end:end + 20]) if not year_s else None
        if ctime:  # "Wed Oct 26 15:50:06 2016": the year written after the time
            year_s = ctime.group(1)
        wd_s = g["wd1"] or g["wd2"]
        weekday = WEEKDAY_NUM.get(wd_s.lower().rstrip(".")) if wd_s else None
        year_known = year_s is not None
        invalid = ""
        if day > 31 or (day > 29 and month == 2) or day > calendar.monthrange(2024, month)[1]:
            invalid = f"{MONTH_NAMES[month - 1]} has no day {day}"
        if year_s:
            year = _year_value(year_s)
        elif ref is not None:
            year = _nearest_year(month, min(day, 28), ref, future()) if not invalid else ref.year
        else:
            year = None
        if year is not None and not invalid:
            if day > calendar.monthrange(year, month)[1]:
                invalid = f"{MONTH_NAMES[month - 1]} {year} has no day {day}"
        if invalid:
            v = Value(lo=None, hi=None, unit="day", gran="day", month=month, day=day, weekday=weekday,
                      invalid=invalid, display=f"{MONTH_NAMES[month - 1]} {day} (no such date)", year_known=year_known)
            return Claim("date", start, end, text[start:end], v)
        if year is None:
            v = Value(lo=None, hi=None, unit="day", gran="monthday", month=month, day=day, weekday=weekday,
                      display=f"{MONTH_NAMES[month - 1]} {day} (no year)", year_known=False)
            if g["rday"]:
                rday = _day_value(g["rday"])
                if rday is not None:
                    v.bound = "range"
            return Claim("date", start, end, text[start:end], v)
        lo = dt.date(year, month, day)
        hi = lo
        bound = "exact"
        if g["rday"]:
            rday = _day_value(g["rday"])
            rmon = _month(g["rmon"]) if g["rmon"] else month
            try:
                hi = dt.date(year, rmon, rday) if rday else lo
            except ValueError:
                hi = lo
            if hi < lo:
                try:
                    hi = dt.date(year + 1, rmon, rday)
                except ValueError:
                    hi = lo
            if hi != lo:
                bound = "range"
        v = date_value(lo, hi, "day", bound, month=month, day=day, weekday=weekday, year_known=year_known)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "day"))

    if g["mon3"]:
        if g["mon3"].islower() and g["mon3"] in ("may", "march"):
            return None
        month = _month(g["mon3"])
        year = _year_value(g["year3"]) if g["year3"] else _two_digit_year(int(g["yy3"]))
        lo, hi = dt.date(year, month, 1), _month_end(year, month)
        v = date_value(lo, hi, "month", month=month)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "month"))

    if g["iso"]:
        try:
            lo = dt.date(int(g["iy"]), int(g["im"]) if g["im"] else _month(g["imon"]), int(g["id"]))
        except ValueError:
            v = Value(lo=None, hi=None, unit="day", gran="day", invalid=f"{g['iso']} is not a date",
                      display=f"{g['iso']} (no such date)")
            return Claim("date", start, end, text[start:end], v)
        v = date_value(lo, lo, "day", month=lo.month, day=lo.day)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, lo, "day"))

    if g["dnum"]:
        a, b, y = int(g["da"]), int(g["db"]), int(g["dy"])
        month, day = (b, a) if (day_first or a > 12) and b <= 12 else (a, b)
        lo = dt.date(y, month, day)
        v = date_value(lo, lo, "day", month=month, day=day)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, lo, "day"))

    if g["ym"]:
        if int(g["ymm"]) >= int(g["ymyy"]) or not g["ymm"].startswith("0") and int(g["ymm"]) > 9:
            return None  # "the 2011-12 season": two years, not December 2011
        g = dict(g, my=g["ymm"], myy=g["ym"])

    if g["my"]:
        month, year = int(g["my"]), int(g["myy"])
        lo, hi = dt.date(year, month, 1), _month_end(year, month)
        v = date_value(lo, hi, "month", month=month)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "month"))

    if g["slash"]:
        d = _parse_slash(g["slash"], ref, day_first, ref is not None and future())
        if d is None:
            return None
        lo, year_known = d
        v = date_value(lo, lo, "day", month=lo.month, day=lo.day, year_known=year_known)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, lo, "day"))

    if g["yq"] or g["yh"]:
        year = int(g["yqy"] or g["yhy"])
        n = int(g["yqn"] or g["yhn"])
        size = 3 if g["yq"] else 6
        lo, hi = dt.date(year, n * size - size + 1, 1), _month_end(year, n * size)
        v = date_value(lo, hi, "quarter" if g["yq"] else "half")
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, v.gran))

    if g["qtr"]:
        q = int(g["qnum"]) if g["qnum"] else {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                                               "3rd": 3, "4th": 4}[g["qord"].lower()]
        if g["qpre"]:  # "next year's first quarter", "2019's second quarter"
            pre = g["qpre"].lower()
            g = dict(g, qyear=pre[:4] if pre[0].isdigit() else None, qrel=None if pre[0].isdigit() else pre[:-2])
        year = _period_year(g, "qyear", "qyy", "qrel", ref, q * 3 - 2, future)
        nxt = re.match(r"-|\s+([a-z]+)", text[end:end + 16])
        if not (g["qyear"] or g["qyy"] or g["qrel"]) and nxt and (nxt.group(1) or "-") not in _AFTER_HOLIDAY:
            return None  # "third-quarter revenue": a qualifier of another claim, not a claim of its own
        if year is None:
            v = Value(lo=None, hi=None, unit="day", gran="quarter", month=q * 3 - 2,
                      display=f"Q{q} (year unknown)", year_known=False)
            return Claim("date", start, end, text[start:end], v)
        lo, hi = dt.date(year, q * 3 - 2, 1), _month_end(year, q * 3)
        v = date_value(lo, hi, "quarter", year_known=bool(g["qyear"] or g["qyy"]))
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "quarter"))

    if g["half"]:
        h = int(g["hnum"]) if g["hnum"] else (1 if g["hord"].lower() == "first" else 2)
        if g["hyear"]:
            year = int(g["hyear"])
        elif ref is not None:
            year = ref.year
        else:
            return None
        if not g["hyear"] and not g["hnum"] and not re.search(r"\b(?:of the year|year)\b", text[end:end + 12]):
            if not re.search(r"(?:in|during|for|over)\s+(?:the\s+)?$", text[max(0, start - 12):start]):
                return None
        lo, hi = dt.date(year, h * 6 - 5, 1), _month_end(year, h * 6)
        v = date_value(lo, hi, "half", year_known=bool(g["hyear"]))
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "half"))

    if g["decade"] and g["decw"]:
        before = text[max(0, start - 16):start].lower()
        if not g["decade"].lower().startswith("the") and not re.search(
                r"\b(?:in|during|of|since|through|until|from|to)\s+$", before):
            return None  # "in his sixties": an age
        d = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
             "eighties": 80, "nineties": 90}[g["decw"].lower()]
        y = 2000 + d if 2000 + d <= (ref.year if ref else dt.date.today().year) else 1900 + d
        lo, hi = dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
        v = date_value(lo, hi, "decade", year_known=False)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "decade"))

    if g["century"]:
        n = int(g["cnum"]) if g["cnum"] else _day_value(g["cword"])
        if not n or n > 22:
            return None
        lo, hi = dt.date(max(1, (n - 1) * 100), 1, 1), dt.date((n - 1) * 100 + 99, 12, 31)
        v = date_value(lo, hi, "century")
        v.display = f"{n}th century" if n > 3 else f"{n}{['st', 'nd', 'rd'][n - 1]} century"
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "century"))

    if g["decade"]:
        y = int(g["dec4"]) if g["dec4"] else (1900 + int(g["dec2"]) if int(g["dec2"]) >= 30 else 2000 + int(g["dec2"]))
        lo, hi = dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
        v = date_value(lo, hi, "decade")
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "decade"))

    if g["fiscal"]:
        fy = g["fyear"]
        year = int(fy) if len(fy) == 4 else 2000 + int(fy)
        # a fiscal year's calendar span is company-specific: compare fiscal years only with each other
        v = Value(lo=float(year), hi=float(year), unit="fiscal_year", gran="year", display=f"FY{year}")
        return Claim("date", start, end, text[start:end], v)

    if g["fisrel"]:
        step = {"this": 0, "current": 0, "the current": 0, "last": -1, "previous": -1, "next": 1}[g["fisw"].lower()]
        if ref is None:
            return None
        year = ref.year + step
        v = Value(lo=float(year), hi=float(year), unit="fiscal_year", gran="year", display=f"FY{year}", year_known=False)
        return Claim("date", start, end, text[start:end], v)

    if g["holiday"]:
        return _holiday_claim(text, m, start, end, ref, mod, future)

    if g["season"]:
        return _season_claim(text, m, start, end, ref, mod, future)

    if g["year4"] or g["yword"]:
        key = "year4" if g["year4"] else "yword"
        year = int(g["year4"]) if g["year4"] else _year_value(g["yword"])
        if year is None:
            return None
        before = text[max(0, m.start(key) - 14):m.start(key)]
        after = text[end:end + 16]
        rng = _YEAR_RANGE.match(text, end) if g["year4"] else None
        if rng and re.search(r"[\d+]\s*$", before):
            rng = None  # +86 2010-2015-86: a phone number
        if not mod and not rng and not re.search(r"(?:\b(?:in|of|during|for|throughout|from|to|and|between|year|the|mid|early|"
                                     r"late|fiscal|FY|a|an|its|his|her|their|our|this|that|through|till|until)\s*-?\s*"
                                     r"|['’]s\s+|')$", before, re.I):
            return None  # a number, not a year: "deliver 2000 pieces"
        if g["year4"] and re.search(r"#$|No\.\s*$|[Pp]age\s*$", before) or (not mod and re.search(r"[A-Za-z]-$", before)):
            return None
        hi_year = year
        if rng:  # 2014-2018, 2014~2018
            hi_year = int(rng.group("y2"))
            if not year < hi_year <= year + 100:
                return None
            end = rng.end()
        elif g["year4"] and re.match(r"\s*(?:-|–)\s*\d", after):
            return None
        lo, hi = dt.date(year, 1, 1), dt.date(hi_year, 12, 31)
        v = date_value(lo, hi, "year", "range" if rng else "exact")
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "year"))

    if g["wd7"]:
        wd = _weekday_num(g["wd7"])
        day = _day_value(g["day7"])
        if not day or day > 31 or ref is None:
            return None
        d = _weekday_monthday(wd, day, ref, future())
        if d is None:
            return None
        v = date_value(d, d, "day", weekday=wd, year_known=False)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, d, d, "day"))

    if g["ordday"]:
        day = _day_value(g["od"])
        before = text[max(0, start - 12):start].lower()
        if not day or day > 31 or re.match(r"\s+(?:of\s+)?[A-Za-z]", text[end:end + 4]) or not (mod or re.search(
                r"\b(?:on|by|until|till|since|from|before|after|of|to|through|and|or|for)\s+$", before)):
            return None
        v = Value(lo=None, hi=None, unit="day", gran="monthday", day=day, year_known=False,
                  display=f"day {day} (month unknown)")
        return Claim("date", start, end, text[start:end], v)

    if g["wd5"]:
        wd = WEEKDAY_NUM[g["wd5"].lower().rstrip(".")[:3] if len(g["wd5"]) > 4 else g["wd5"].lower().rstrip(".")]
        rel = (g["wrel"] or "").lower()
        if g["wd5"].endswith(".") and not rel:
            return None
        rel_kind = {"previous": "last", "past": "", "coming": "next", "following": "next"}.get(rel, rel)
        week = (g["wpre"] or g["wof"] or "").lower()
        if week and ref is not None:  # "tuesday of next week", "this week Monday"
            step = -1 if re.search(r"last|previous|past", week) else 1 if re.search(r"next|following|coming", week) else 0
            d = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=step, days=wd)
            v = date_value(d, d, "day", weekday=wd, year_known=False)
            return Claim("date", start, end, text[start:end], v)
        if ref is None:
            v = Value(lo=None, hi=None, unit="day", gran="weekday", weekday=wd, year_known=False,
                      display=f"{WEEKDAYS[wd]} (no reference date)")
        else:
            d = _resolve_weekday(wd, ref, rel_kind, future())
            v = date_value(d, d, "day", weekday=wd, year_known=False)
            v.gran = "day"
            v.display = d.isoformat()
        s = m.start("wd5")
        e = m.end()
        return Claim("date", s, e, text[s:e], v)

    if g["mon6"]:
        month = _month(g["mon6"])
        before = text[max(0, start - 24):start]
        # "from May to March", "between August and October": a month next to another month is a month
        paired = re.search(rf"(?:{_MON_ALONE}|{_MON_ABBR})\s*(?:-|–|(?i:to|and|through|till|until))\s*$", before) or \
            re.match(rf"\s*(?:-|–|(?i:to|and|through|till|until))\s*(?:{_MON_ALONE}|{_MON_ABBR})", text[end:end + 24])
        if text[start - 1:start] == "-" and not mod and not paired:
            return None
        if g["mon6"] == "May":
            if not g["mod"] and not paired and not re.search(r"(?:\b(?i:in|of|since|until|by|from|during|through|early|mid|late|last|next|this|between)\s+)$",
                                                        before):
                return None
        elif not g["mod"] and not paired and not re.search(r"(?:\b(?i:in|of|since|until|by|from|during|through|early|mid|late|last|next|this|on|before|after|between)[\s-]+)$",
                                                      before):
            return None
        if _NOT_MONTH_AFTER.match(text[end:end + 12]) and not text[end:end + 1] in ",.":
            return None  # "April Smith", "March Madness"
        if ref is None:
            v = Value(lo=None, hi=None, unit="day", gran="month", month=month, year_known=False,
                      display=f"--{month:02d} (year unknown)")
            return Claim("date", start, end, text[start:end], v)
        fut = future()
        year = ref.year
        if fut and month < ref.month:
            year += 1
        elif not fut and month > ref.month:
            year -= 1
        lo, hi = dt.date(year, month, 1), _month_end(year, month)
        v = date_value(lo, hi, "month", month=month, year_known=False)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "month"))

    if g["rel"]:
        return _relative(text, m, start, end, ref, mod)
    return None



_RANGE_NEXT = re.compile(r"\s*(?:-|–|—|~|(?i:to|through|till|until|thru))\s*(?=\S)")
_YEAR_RANGE = re.compile(rf"\s*(?:-|–|—|~|(?i:to|through|till|until|thru))\s*(?P<y2>{YEAR})(?![\d]|-\d)")


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 50 else 1900 + yy


def _year_value(s: str) -> Optional[int]:
    """'2019' -> 2019; 'nineteen eighty six' -> 1986; 'two thousand and fifteen' -> 2015."""
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    words = re.sub(r"[\s-]+", " ", s).split()
    if "thousand" in words:
        v = parse_words(" ".join(words))
        return int(v) if v else None
    century = UNITS.get(words[0]) or TENS.get(words[0])
    rest = [w for w in words[1:] if w not in ("hundred", "and", "o")]
    tail = parse_words(" ".join(rest)) if rest else 0
    if century is None or tail is None:
        return None
    return century * 100 + int(tail)


def _weekday_num(s: str) -> int:
    s = s.lower().rstrip(".")
    return WEEKDAY_NUM[s[:3] if len(s) > 4 else s]


def _weekday_monthday(wd: int, day: int, ref: dt.date, future: bool) -> Optional[dt.date]:
    """The day-th of the month nearest ref that falls on weekday wd ("Sunday 31", "Wed 13th")."""
    found = []
    for k in range(-24, 25):
        first = _shift_months(ref.replace(day=1), k)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            d = first.replace(day=day)
            if d.weekday() == wd:
                found.append(d)
    if not found:
        return None
    if future:
        later = [d for d in found if d >= ref - dt.timedelta(days=3)]
        return min(later) if later else max(found)
    earlier = [d for d in found if d <= ref + dt.timedelta(days=3)]
    return max(earlier) if earlier else min(found)


def _nth_weekday(year: int, month: int, wd: int, n: int) -> dt.date:
    """The n-th weekday wd of a month (n = -1: the last one)."""
    if n < 0:
        last = _month_end(year, month)
        return last - dt.timedelta(days=(last.weekday() - wd) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * mm + 114) // 31
    day = (h + el - 7 * mm + 114) % 31 + 1
    return dt.date(year, month, day)


def _holiday_date(name: str, year: int) -> Optional[dt.date]:
    n = re.sub(r"[’'.]", "", re.sub(r"\s+", " ", name.lower()))
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year": (1, 1),
             "new years day": (1, 1), "new year day": (1, 1), "new years eve": (12, 31), "new year eve": (12, 31),
             "halloween": (10, 31), "valentines day": (2, 14), "independence day": (7, 4), "earth day": (4, 22),
             "international workers day": (5, 1), "boxing day": (12, 26), "veterans day": (11, 11)}
    if n in fixed:
        return dt.date(year, *fixed[n])
    if "patrick" in n:
        return dt.date(year, 3, 17)
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    floating = {"thanksgiving": thanksgiving, "thanksgiving day": thanksgiving,
                "black friday": thanksgiving + dt.timedelta(days=1), "cyber monday": thanksgiving + dt.timedelta(days=4),
                "labor day": _nth_weekday(year, 9, 0, 1), "labour day": _nth_weekday(year, 9, 0, 1),
                "memorial day": _nth_weekday(year, 5, 0, -1), "mothers day": _nth_weekday(year, 5, 6, 2),
                "fathers day": _nth_weekday(year, 6, 6, 3), "easter": _easter(year), "easter sunday": _easter(year),
                "easter monday": _easter(year) + dt.timedelta(days=1), "good friday": _easter(year) - dt.timedelta(days=2)}
    if n in floating:
        return floating[n]
    if n.startswith("martin luther king"):
        return _nth_weekday(year, 1, 0, 3)
    return None


def _holiday_claim(text, m, start, end, ref, mod, future) -> Optional[Claim]:
    name, rel, year_s = m.group("hname"), (m.group("hrel") or "").lower(), m.group("hdyear")
    low = name.lower()
    nxt = re.match(r"\s+([a-z]+)", text[end:end + 16])
    if not year_s and not m.group("hwe") and not re.search(r"(?:day|eve)$", low) and nxt and \
            nxt.group(1) not in _AFTER_HOLIDAY:
        return None  # "Christmas shopping", "Thanksgiving dinner"
    if year_s:
        d = _holiday_date(name, int(year_s))
    elif ref is None:
        return None
    else:
        cands = [c for c in (_holiday_date(name, y) for y in (ref.year - 1, ref.year, ref.year + 1)) if c]
        if rel == "next" or (not rel and (future() or low.startswith("new year"))):
            after = [c for c in cands if c >= ref - (dt.timedelta(days=3) if not rel else dt.timedelta(days=0))]
            d = min(after) if after else None
        elif rel == "this":
            d = _holiday_date(name, ref.year)
        else:
            before = [c for c in cands if c <= ref + dt.timedelta(days=3 if not rel else 0)]
            d = max(before) if before else None
    if d is None:
        return None
    lo = hi = d
    if m.group("hwe"):  # labor day weekend: the Saturday to the Monday (or the weekend holding the day)
        lo = d - dt.timedelta(days=(d.weekday() - 5) % 7) if d.weekday() != 6 else d - dt.timedelta(days=1)
        hi = lo + dt.timedelta(days=2 if d.weekday() == 0 else 1)
    v = date_value(lo, hi, "day", "exact" if lo == hi else "range", month=d.month, day=d.day,
                   year_known=bool(year_s))
    return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "day"))


_AFTER_HOLIDAY = set("at on in to and or the this last next with for from of when as until through before after is was "
                     "will would were are has had".split())
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _season_span(name: str, year: int) -> tuple[dt.date, dt.date]:
    a, b = _SEASONS[name]
    if a > b:  # winter runs from December into the next year
        return dt.date(year, a, 1), _month_end(year + 1, b)
    return dt.date(year, a, 1), _month_end(year, b)


def _season_claim(text, m, start, end, ref, mod, future) -> Optional[Claim]:
    name = m.group("sname").lower()
    rel, year_s = (m.group("srel") or "").lower(), m.group("syear")
    before = text[max(0, start - 20):start].lower()
    if not (rel or year_s or mod or re.search(r"\b(?:in|during|since|by|until|through|over|throughout|all|whole|entire|"
                                              r"this|that|last|next|early|late|mid)\s+(?:the\s+)?$", before)):
        return None  # "summer camp", "Winter Olympics"
    if re.match(r"\s+[A-Z]", text[end:end + 2]) and not year_s:
        return None
    if year_s:
        lo, hi = _season_span(name, int(year_s))
    elif ref is None:
        return None
    else:
        spans = [_season_span(name, y) for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1)]
        holding = [sp for sp in spans if sp[0] <= ref <= sp[1]]
        past = [sp for sp in spans if sp[1] < ref]
        coming = [sp for sp in spans if sp[0] > ref]
        if rel in ("last", "past", "previous"):
            lo, hi = past[-1]
        elif rel in ("next", "coming"):
            lo, hi = coming[0]
        elif holding:
            lo, hi = holding[0]
        elif rel == "this" or future():
            lo, hi = coming[0]
        else:
            lo, hi = past[-1]
    v = date_value(lo, hi, "season", year_known=bool(year_s))
    v.display = f"{name} {lo.year}" + (f"/{hi.year}" if hi.year != lo.year else "")
    return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "season"))

def _period_year(g, year_key, yy_key, rel_key, ref, month, future) -> Optional[int]:
    if g.get(year_key):
        return int(g[year_key])
    if g.get(yy_key):
        return 2000 + int(g[yy_key])
    rel = (g.get(rel_key) or "").lower()
    if ref is None:
        return None
    if rel == "last year":
        return ref.year - 1
    if rel == "next year":
        return ref.year + 1
    if rel == "this year":
        return ref.year
    # an unanchored quarter: the latest one that has started by the reference date (or the next one)
    if future():
        return ref.year if month >= ref.month - 2 else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def _resolve_weekday(wd: int, ref: dt.date, rel: str, future: bool) -> dt.date:
    delta = (wd - ref.weekday()) % 7
    if rel == "next":
        return ref + dt.timedelta(days=delta or 7)
    if rel == "this":
        return ref + dt.timedelta(days=wd - ref.weekday())
    back = (ref.weekday() - wd) % 7
    if rel == "last":
        return ref - dt.timedelta(days=back or 7)
    if future:
        return ref + dt.timedelta(days=delta)
    return ref - dt.timedelta(days=back)


def _parse_slash(s: str, ref: Optional[dt.date], day_first: bool, future: bool = False) -> Optional[tuple[dt.date, bool]]:
    parts = re.split(r"/|,\s*", s)
    a, b = int(parts[0]), int(parts[1])
    month, day = (b, a) if day_first else (a, b)
    if len(parts) == 3:
        year = int(parts[2])
        year = year + 2000 if year < 100 else year
        known = True
    elif ref is not None:
        year = _nearest_year(month, day, ref, future) if 1 <= month <= 12 else None
        known = False
    else:
        return None
    if year is None:
        return None
    try:
        return dt.date(year, month, day), known
    except ValueError:
        return _dateparser_fallback(s, ref, day_first)


@lru_cache(maxsize=4096)
def _dateparser_fallback(span: str, ref: Optional[dt.date], day_first: bool) -> Optional[tuple[dt.date, bool]]:
    """The odd numeric span our own reader rejects: dateparser, English only, against the reference."""
    import dateparser

    settings = {"DATE_ORDER": "DMY" if day_first else "MDY", "REQUIRE_PARTS": ["day", "month"],
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = dt.datetime(ref.year, ref.month, ref.day)
    try:
        parsed = dateparser.parse(span, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a span it cannot read is no date
        return None
    return (parsed.date(), True) if parsed else None


_REL_NUM = {"a": 1, "an": 1, "one": 1, "couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
            **{w: UNITS[w] for w in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                     "twelve", "fifteen")}, "twenty": 20, "thirty": 30}
_REL_STEP = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1, "following": 1}
_COUNT_UNIT = re.compile(rf"(?P<n>{_N})\s+(?P<u>{_UNIT})", re.I)


def _shift_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _unit_name(u: str) -> str:
    u = u.lower()
    return u[:-1] if u.endswith("s") else u


def _shift(d: dt.date, n: float, unit: str) -> dt.date:
    """d moved by n units (negative: back); months and longer move on the calendar."""
    unit = _unit_name(unit)
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + dt.timedelta(days=n * (14 if unit == "fortnight" else 7))
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit] * n
    return _shift_months(d, int(months))


def _counts(expr: str) -> list[tuple[int, str]]:
    """'2 weeks and 2 days' -> [(2, 'week'), (2, 'day')]."""
    out = []
    for m in _COUNT_UNIT.finditer(expr):
        n_s = re.sub(r"\s+", " ", m.group("n").lower())
        n = int(n_s) if n_s.isdigit() else _REL_NUM.get(n_s)
        if n is None:
            return []
        out.append((n, _unit_name(m.group("u"))))
    return out


def _period(ref: dt.date, unit: str, step: int) -> tuple[dt.date, dt.date, str]:
    """The calendar week/month/quarter/year/decade step periods away from the one holding ref."""
    if unit in ("week", "weekend", "workweek", "work week", "working week"):
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=step)
        if unit == "weekend":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "range"
        if unit != "week":
            return monday, monday + dt.timedelta(days=4), "range"
        return monday, monday + dt.timedelta(days=6), "range"
    if unit == "month":
        first = _shift_months(ref.replace(day=1), step)
        return first, _month_end(first.year, first.month), "month"
    if unit == "quarter":
        first = _shift_months(dt.date(ref.year, (ref.month - 1) // 3 * 3 + 1, 1), 3 * step)
        last = _shift_months(first, 2)
        return first, _month_end(last.year, last.month), "quarter"
    if unit == "year":
        y = ref.year + step
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    if unit == "decade":
        y = ref.year // 10 * 10 + 10 * step
        return dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade"
    if unit == "fortnight":
        return (ref - dt.timedelta(days=14), ref, "range") if step < 0 else (ref + dt.timedelta(days=1), ref + dt.timedelta(days=14), "range")
    raise ValueError(unit)


def _relative(text, m, start, end, ref, mod) -> Optional[Claim]:
    expr = m.group("rel")
    low = re.sub(r"\s+", " ", expr.lower().replace("’", "'"))
    if low.startswith("in ") and not low.startswith("in the past") and not low.endswith("time") and \
            not _future_at(text, start, end):
        return None  # "the first rain in two weeks": a duration, read by the duration extractor
    if ref is not None and re.search(r"\bfrom (?:now|today)$", low) and re.search(r"(?i:\bfor)\s+$", text[max(0, start - 5):start]):
        counts = _counts(low)  # "for 3 days from today": the days that follow
        if counts:
            hi = ref
            for n, unit in counts:
                hi = _shift(hi, n, unit)
            s0 = start - len(re.search(r"(?i:\bfor)\s+$", text[max(0, start - 5):start]).group(0))
            return _range_claim(text, s0, end, ref, hi - dt.timedelta(days=1), "day", False)
    if ref is None:
        v = Value(lo=None, hi=None, unit="day", gran="relative", year_known=False, display=f"{expr} (no reference date)")
        return Claim("date", start, end, text[start:end], v)
    bound = None
    if re.fullmatch(r"(?:this|tomorrow|yesterday|next|last) (?:morning|afternoon|evening|night)", low):
        step = {"this": 0, "tomorrow": 1, "next": 1, "yesterday": -1, "last": -1}[low.split()[0]]
        lo = hi = ref + dt.timedelta(days=step)
        gran = "day"
    elif low in ("today", "tonight"):
        lo = hi = ref
        gran = "day"
    elif low in ("yesterday", "the day before", "the previous day"):
        lo = hi = ref - dt.timedelta(days=1)
        gran = "day"
    elif low in ("tomorrow", "tmrw", "the day after", "the next day", "the following day"):
        lo = hi = ref + dt.timedelta(days=1)
        gran = "day"
    elif low.startswith("the day after ") or low.startswith("the day before "):
        lo = hi = ref + dt.timedelta(days=2 if "after" in low else -2)
        gran = "day"
    elif low == "the week after next":
        lo, hi, gran = _period(ref, "week", 2)
    elif low in ("year to date", "the year to date", "so far this year"):
        lo, hi, gran = dt.date(ref.year, 1, 1), ref, "range"
    elif re.fullmatch(r"the (?:week|month|year) (?:before|after)", low):
        unit = low.split()[1]
        lo, hi, gran = _period(ref, unit, -1 if low.endswith("before") else 1)
    elif low.startswith(("earlier ", "later ")):
        unit = low.split()[-1]
        p_lo, p_hi, _ = _period(ref, unit, 0)
        lo, hi = (p_lo, ref) if low.startswith("earlier") else (ref, p_hi)
        gran = "range"
    elif low.startswith("in the past "):
        days = {"week": 7, "month": 31, "year": 366}[low.split()[-1]]
        lo, hi, gran = ref - dt.timedelta(days=days), ref, "range"
    else:
        words = low.replace("'s", "").split()
        if words[0] == "the":
            words = words[1:]
        counts = _counts(low)
        upcoming = re.fullmatch(rf"(?P<n>{_N}) (?:upcoming|next|last|past|previous|coming) (?P<u>{_UNIT})", low)
        if upcoming:  # "the 3 next weeks", "2 upcoming months"
            counts = _counts(f"{upcoming.group('n')} {upcoming.group('u')}")
        if words[0] in _REL_STEP and not counts:
            unit = " ".join(w for w in words[1:] if w != "calendar")
            step = _REL_STEP[words[0]]
            if words[0] == "past" and unit in ("week", "month", "year"):
                days = {"week": 7, "month": 31, "year": 365}[unit]
                lo, hi, gran = ref - dt.timedelta(days=days), ref, "range"
            else:
                lo, hi, gran = _period(ref, unit, step)
        elif counts and (words[0] in _REL_STEP or (len(words) > 2 and words[-2] in _REL_STEP)):
            # the last 3 months, the next two days, 2 upcoming months, the past two quarters
            n, unit = counts[0]
            back = (words[0] if words[0] in _REL_STEP else words[-2]) in ("last", "past", "previous")
            if unit == "quarter":
                p_lo, p_hi, _ = _period(ref, "quarter", -1 if back else 1)
                lo, hi = (_shift(p_lo, -(n - 1), "quarter"), p_hi) if back else \
                    (p_lo, _month_end(*(lambda d: (d.year, d.month))(_shift(p_lo, 3 * n - 1, "month"))))
            elif back:
                lo, hi = _shift(ref, -n, unit), ref - dt.timedelta(days=1)
            else:
                lo, hi = ref + dt.timedelta(days=1), _shift(ref, n, unit)
            gran = "range"
        elif counts:
            sign = -1 if re.search(r"\b(?:ago|earlier|before)$", low) else 1
            d = ref
            for n, unit in counts:
                d = _shift(d, sign * n, unit)
            smallest = counts[-1][1]
            # "two months ago" is about that long ago: half a unit either way
            slack = {"day": 0, "week": 3, "fortnight": 7, "month": 15, "quarter": 45, "year": 183, "decade": 1826}[smallest]
            if low.startswith("in ") or len(counts) > 1 and smallest == "day":
                slack = min(slack, 3) if len(counts) == 1 else 0
            lo, hi = d - dt.timedelta(days=slack), d + dt.timedelta(days=slack)
            gran = "day" if slack == 0 else "range"
            if slack:
                bound = "approx"
        else:
            return None
    v = date_value(lo, hi, gran, "exact" if gran in ("day", "month", "year", "quarter", "decade") else "range",
                   year_known=False)
    if bound:
        v.bound = bound
    return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, gran))


def _future_at(text: str, start: int, end: int) -> bool:
    window = _sentence_window(text, start, end)
    near = text[max(0, start - 48):start]
    cut = max(near.rfind(". "), near.rfind("\n\n"))
    near = near[cut + 1:] if cut != -1 else near
    if _PAST_NEAR.search(near):
        return False
    return bool(_FUTURE.search(window))


def _word_int(s: str) -> Optional[int]:
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    if s.startswith("o ") or s.startswith("o-"):
        s = s[2:]
    v = parse_words(s.replace("-", " "))
    return int(v) if v is not None else None


def _point(m: re.Match) -> Optional[tuple[float, bool]]:
    """Minutes after midnight of one TIME match, and whether the text fixed a.m./p.m. (or the 24-hour clock)."""
    g = m.groupdict()
    if g["named"]:
        return (720.0 if g["named"].lower() in ("noon", "midday") else 0.0), True
    if g["ampm"] or g["ampm4"] or g["ampmw"]:
        if g["hm4"]:
            h, mins, secs = int(g["hm4"][:-2]), int(g["hm4"][-2:]), 0
        elif g["hw"]:
            h, mins, secs = _word_int(g["hw"]), _word_int(g["mw"]) if g["mw"] else 0, 0
        else:
            h, mins, secs = int(g["h"]), int(g["m"] or 0), int(g["s"] or 0)
        if h is None or mins is None or h > 12 or h == 0:
            return None
        pm = (g["ampm"] or g["ampm4"] or g["ampmw"]).lower().lstrip()[0] == "p"
        return (h % 12 + (12 if pm else 0)) * 60 + mins + secs / 60, True
    if g["h24"]:
        h = int(g["h24"])
        return h * 60 + int(g["m24"]) + int(g["s24"] or 0) / 60, h == 0 or h > 12
    if g["hoc"]:
        h = _word_int(g["hoc"])
        return (h * 60.0, False) if h is not None and 0 < h <= 12 else None
    if g["hpd"]:
        h = _word_int(g["hpd"])
        return (h * 60.0 + int(g["mpd"] or 0), False) if h is not None and 0 < h <= 12 else None
    if g["pt"]:
        h = _word_int(g["hp"])
        mp = g["mp"].lower()
        mins = 30 if mp == "half" else 15 if "quarter" in mp else _word_int(mp)
        if h is None or mins is None or not 0 < h <= 12 or mins >= 60:
            return None
        total = h * 60 + (mins if g["pt"].lower() == "past" else -mins)
        return float(total % 720 or 720 if h == 12 and total < 60 else total % 1440), False
    if g["hat2"]:
        h = int(g["hat2"])
        return h * 60.0 + int(g["mat2"] or 0), h == 0 or h > 12
    if g["hat"]:
        h, mins = _word_int(g["hat"]), _word_int(g["mat"])
        return (h * 60.0 + mins, False) if h is not None and mins is not None and mins < 60 else None
    return None


def _day_part(text: str, start: int, end: int) -> Optional[bool]:
    """True for p.m., False for a.m. when a part of the day is written next to the time, None otherwise."""
    after = re.match(rf"\s+(?:{_PART_OF_DAY})", text[end:end + 30], re.I)
    before = _PART_BEFORE.search(text, max(0, start - 30), start)
    words = (after.group(0) if after else "") + " " + (before.group(0) if before else "")
    if not words.strip():
        return None
    return bool(_PM_PARTS.search(words))


def _with_part(minutes: float, fixed: bool, pm: Optional[bool]) -> float:
    if fixed or pm is None:
        return minutes
    if pm and minutes < 720:
        return minutes + 720
    if not pm and minutes >= 720:
        return minutes - 720
    return minutes


def _fmt_min(x: float) -> str:
    x = x % 1440
    return f"{int(x) // 60:02d}:{int(x) % 60:02d}"


def _time_display(v: Value) -> str:
    z = " UTC" if v.zone else ""
    if v.bound == "range":
        return f"{_fmt_min(v.lo)}–{_fmt_min(v.hi)}{z}"
    if v.bound == "lower":
        return f"≥{_fmt_min(v.lo)}{z}"
    if v.bound == "upper":
        return f"≤{_fmt_min(v.hi)}{z}"
    return _fmt_min(v.lo) + z


def _zone_at(text: str, end: int) -> tuple[int, int, str]:
    """A zone written after a time: (new end, offset in minutes, 'UTC' or '')."""
    z = _ZONE.match(text, end)
    if z and (z.group("zone") or z.group("local")):
        if z.group("zone"):
            return z.end(), ZONES[z.group("zone")] + (int(z.group("off")) * 60 if z.group("off") else 0), "UTC"
        return z.end(), 0, ""
    return end, 0, ""


def _range_end(s: str) -> Optional[tuple[float, bool, bool]]:
    """One end of a time range: (minutes, meridiem fixed, clearly a time)."""
    s = s.strip()
    if re.fullmatch(r"[012]\d[0-5]\d", s):
        return int(s[:2]) * 60 + int(s[2:]), True, s[0] == "0"  # 0730: a 24-hour clock time
    m = _TIME_POINT.match(s)
    if m:
        got = _point(m)
        if got is None:
            return None
        clear = bool(m.group("ampm") or m.group("ampm4") or m.group("ampmw") or m.group("h24") or m.group("hoc")
                     or m.group("named"))
        return got[0], got[1], clear
    hm = re.fullmatch(r"([01]?\d)(?:[:.]([0-5]\d))?", s)
    if hm:
        h = int(hm.group(1))
        return (h * 60 + int(hm.group(2) or 0), h == 0 or h > 12, bool(hm.group(2) and ":" in s)) if h <= 24 else None
    words = re.fullmatch(rf"((?i:{_HOUR_WORDS}))(?:[\s-]+((?i:{_MIN_WORDS})))?", s)
    if words:  # "two thirty": an hour with its minutes is a time
        h, mins = _word_int(words.group(1)), _word_int(words.group(2)) if words.group(2) else 0
        return (h * 60.0 + mins, False, bool(words.group(2))) if h is not None and mins is not None else None
    return None


def _time_ranges(text: str) -> Iterator[Claim]:
    for m in _TIME_RANGE_SCAN.finditer(text):
        a, b = _range_end(m.group("a")), _range_end(m.group("b"))
        if a is None or b is None:
            continue
        conn = m.group("c").lower()
        if conn == "and" and not m.group("w"):
            continue
        if conn in "-–" and not (m.group("a")[:1].isdigit() and m.group("b")[:1].isdigit()):
            continue  # "seven twenty-seven": a hyphen inside a number, not a range
        pod = m.group("pod")
        day_next = _DAY_AFTER_RANGE.match(text, m.end())
        before = text[max(0, m.start() - 12):m.start()]
        near_day = day_next or re.search(r"(?i:\w+day|tonight|morning|evening|night)\s+$", before)
        if re.fullmatch(r"[012]\d[0-5]\d", m.group("a").strip()) != re.fullmatch(r"[012]\d[0-5]\d", m.group("b").strip()):
            continue
        if not (a[2] or b[2] or pod or _PART_BEFORE.search(before) or (near_day and (m.group("w") or conn != "and"))):
            continue  # "3-8", "between 5 and 6": bare numbers are not times
        (lo, lo_fixed, _), (hi, hi_fixed, _) = a, b
        if hi == 0 and hi_fixed and 0 < lo < 720 and re.search(r"12\s?[aA]", m.group("b")):
            hi = 720.0  # "10am-12am": the writer meant noon
        pm = bool(_PM_PARTS.search(pod)) if pod else _day_part(text, m.start(), m.end()) if _PART_BEFORE.search(before) else None
        if pod or pm is not None:
            lo, hi = _with_part(lo, lo_fixed, pm), _with_part(hi, hi_fixed, pm)
        elif hi_fixed and not lo_fixed:
            # "5 to 6pm", "from 7:00 to 8:00pm", "11 to 1pm": the written meridiem reaches back
            if hi >= 720 and lo + 720 <= hi:
                lo += 720
        elif lo_fixed and not hi_fixed:
            # "10am to 2", "2pm to 4": the end follows the start; "8pm to 1" runs past midnight
            if hi < 720 and (hi < lo or lo >= 720) and not (lo >= 720 and hi + 720 < lo):
                hi += 720
        elif not lo_fixed and not hi_fixed and hi < lo:
            hi += 720  # "from 10:30 to 3"
        start = m.start()
        end, off, zone = _zone_at(text, m.end("b"))  # the part of the day is left to the date it may name
        v = Value(lo=float((lo - off) % 1440), hi=float((hi - off) % 1440), unit="min", gran="minute",
                  bound="range", zone=zone)
        v.display = _time_display(v)
        yield Claim("time", start, end, text[start:end], v)


def extract_times(text: str) -> Iterator[Claim]:
    ranges = list(_time_ranges(text))
    yield from ranges
    for m in _TIME_SCAN.finditer(text):
        if any(r.start <= m.start() < r.end for r in ranges):
            continue
        got = _point(m)
        if got is None:
            continue
        minutes, fixed = got
        if m.group("hat2") and not (_PART_BEFORE.search(text, max(0, m.start() - 33), m.start() - 3) or re.search(
                r"(?i:\b(?:\w+day|tonight|today|tomorrow|\d{1,2}(?:st|nd|rd|th)))\s+at\s+$", text[max(0, m.start() - 24):m.start()])):
            continue  # "at 7" alone: an age, a score, a price
        if m.group("h24") and re.match(r"\s*(?:-|–)\s*\d", text[m.end():m.end() + 4]):
            continue  # a score or a ratio, "3:1"
        start, end = m.start(), m.end()
        minutes = _with_part(minutes, fixed, _day_part(text, start, end))
        end, off, zone = _zone_at(text, end)
        minutes = (minutes - off) % 1440
        v = Value(lo=float(minutes), hi=float(minutes), unit="min", gran="minute", zone=zone)
        # "6:15 p.m. local time (10:15 GMT)": the bracketed zone time is the same instant
        paren = re.match(r"\s*\(\s*", text[end:end + 4])
        if paren and not zone:
            inner = TIME.match(text, end + paren.end())
            if inner:
                sub = [c for c in extract_times(text[end + paren.end():inner.end() + 12]) if c.value.bound == "exact"]
                if sub and sub[0].value.zone == "UTC" and sub[0].start == 0:
                    close = text.find(")", end + paren.end() + sub[0].end, end + paren.end() + sub[0].end + 3)
                    v = sub[0].value
                    end = close + 1 if close != -1 else end + paren.end() + sub[0].end
        q = _TIME_BOUND.search(text, max(0, start - 24), start)
        dur = _TIME_FOR.match(text, end)
        if q and q.group("q").lower() == "from" and not dur:  # "for 7 hours from 9:30am"
            dur = _TIME_FOR_BEFORE.search(text, max(0, q.start() - 30), q.start())
        if q and q.group("q").lower() == "from" and dur:  # "from 2pm for 2 hours"
            n = 1.0 if dur.group("n").lower() in ("a", "an") else float(_word_int(dur.group("n")) or dur.group("n"))
            span = n * (60 if dur.group("u").lower().startswith("h") else 1) + (int(dur.group("n2") or 0))
            v.bound, v.hi = "range", v.lo + span
            start, end = min(q.start(), dur.start()), max(end, dur.end())
        elif q:
            word = re.sub(r"\s+", " ", q.group("q").lower())
            if word in ("after", "since", "from", "later than", "as early as", "any time from", "anytime from",
                        "starting at"):
                v.bound, v.hi = "lower", None
            else:
                v.bound, v.lo = "upper", None
            start = q.start()
        v.display = _time_display(v)
        yield Claim("time", start, end, text[start:end], v)


def extract_word_durations(text: str) -> Iterator[Claim]:
    from checker.extract.numbers import counted_noun

    for m in _WORD_DURATION_SCAN.finditer(text):
        g = m.groupdict()
        if g["frac"]:
            f = g["frac"].lower().replace("-", " ").split()
            num = {"half": 0.5, "½": 0.5, "quarter": 0.25, "third": 1 / 3}.get(f[-1])
            if f[-1] in ("quarters", "thirds"):
                num = (3 if f[0] == "three" else 2) * (0.25 if f[-1] == "quarters" else 1 / 3)
            seconds = num * _DUR_UNIT[g["funit"].lower()]
        elif g["a"]:
            if not g["ahalf"] and not g["along"]:
                if not _A_DURATION_CONTEXT.search(text, max(0, m.start() - 16), m.start() + (len(g["q"]) if g["q"] else 0)):
                    continue
                if re.match(r"\s+(?:ago|earlier|later|before)\b", text[m.end():m.end() + 10]):
                    continue
            extra = 0.0 if not g["ahalf"] else 0.25 if g["ahalf"].lower().endswith("quarter") else 0.5
            seconds = _DUR_UNIT[g["aunit"].lower()] * (1 + extra)
        elif g["wnum"]:
            w = g["wnum"].lower()
            n = float(w) if w[0].isdigit() else 1.0 if w in ("a", "an") else UNITS[w]
            seconds = (n + (0.25 if g["wfrac"].lower() == "quarter" else 0.5)) * _DUR_UNIT[g["hunit"].lower().rstrip("s")]
        else:
            seconds = _DUR_UNIT[g["long"].lower()]
        from checker.extract.numbers import display

        v = Value(lo=seconds, hi=seconds, unit="s", bound="exact")
        q = (g["q"] or "").strip().lower()
        if q in ("about", "around", "nearly", "almost", "roughly"):
            v.bound = "approx"
        elif q in ("more than", "over", "just over"):
            v.bound, v.hi = "lower", None
        elif q in ("less than", "under", "just under"):
            v.bound, v.lo = "upper", None
        v.display = display("duration", v)
        start = m.start("aunit") if g["a"] and g["along"] else m.start()
        c = Claim("duration", start, m.end(), text[start:m.end()], v)
        c.context["noun"] = counted_noun(text, m.end())
        yield c
