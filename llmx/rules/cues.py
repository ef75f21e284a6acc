"""The cue vocabulary of the role rules: general English patterns with weights.

Weights order specificity: a phrase that names the role ("milestone payment") outranks a word
that only hints at it ("agreement"). Three pseudo-kinds are resolved by `llmx.rules.roles`:
`payment` (a payment without its nature: takes the document's deal topic), `generic` (a deal
word: the topic or contract_value) and `dealvalue` ("total transaction value": acquisition price
in an acquisition, otherwise contract value).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable

from llmx.recognize.text import IGNORECASE_ASCII_FOLDS

# (kind, pattern, weight)
KIND_CUES: tuple[tuple[str, str, float], ...] = (
    ("upfront", r"up[- ]?front|initial payment|signing (?:fee|payment)|upon signing", 3.0),
    # "milestone" in its everyday sense names an achievement, not a payment ("reached a major milestone",
    # "to celebrate this significant milestone", round 6: "Passes $500 Million Revenues Milestone"), unless a payment
    # follows ("significant milestone payments").
    (
        "milestone",
        r"(?<!significant )(?<!major )(?<!impressive )(?<!important )(?<!remarkable )(?<!historic )(?<!notable )(?<!big )(?<!exciting )"
        r"(?<!numerous )(?<!proud )(?<!several )(?<!another )(?<!huge )(?<!landmark )(?<!revenue )(?<!revenues )(?<!sales )milestones?|milestones?(?=\s+(?:payments?|fees?)\b)",
        2.6,
    ),
    ("license_fee", r"(?:up-?front |initial |one-time |annual )?licen[cs]e fees?", 3.2),
    ("royalty", r"royalt(?:y|ies)", 2.6),
    ("license_fee", r"licen[cs](?:e|ing) (?:fees?|payments?|revenue|income|consideration)|licen[cs]ing|licen[cs]e agreement", 1.6),
    ("equity", r"equity (?:investments?|stakes?|interests?|holdings?)|strategic investment|stakes? in|ownership interest", 2.0),
    ("acquisition_price", r"acqui(?:re[sd]?|ring|sition)|purchase price|merger consideration|buy(?:s|ing)? out|takeover|to buy|purchase of", 2.0),
    # A takeover priced as a value of the target ("the all-cash transaction values the Company's equity at $68 million").
    ("acquisition_price", r"(?:transaction|deal|merger|offer|acquisition|buyout)\s+(?:that\s+)?values?\s+(?:\S+\s+){0,3}?at", 2.8),
    ("acquisition_price", r"deal (?:valued|worth)|earn-?outs?|deferred (?:payment|consideration)|contingent consideration", 2.4),
    ("equity", r"(?:in|of) (?:[\w-]+ ){0,3}(?:common|ordinary|preferred) (?:stock|shares)|(?:in|of) (?:[\w-]+ ){0,2}(?:new )?shares", 2.3),
    ("financing", r"(?:public|registered direct|underwritten|secondary|follow-on|initial public|best[- ]efforts|debt|notes?|equity|stock|share) offering"
     # (round 6: "offering" as the verb "to offer" offers no securities, "the studio is offering $15 off", "a law offering rebates
     # worth $120 million", "Offering Over $30,000 in Prizes", unless securities follow: "is offering $10 million of shares")
     r"|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )(?<!\bby )(?<!\balso )(?<!\bnow )(?<!\bcurrently )"
     r"offering(?!\s+(?:a|an|the|its|their|our|his|her|users|investors|customers|clients|holders|members|participants|rebates?|discounts?|specials?|free|over|more than|several|various)\b)"
     r"|(?:is|are|was|were|be|been|by|also|now|currently) offering(?=[^.;]{0,60}\b(?:shares|units|notes|stock|warrants|securities|debentures|bonds|ADSs?)\b)", 2.2),
    ("financing", r"private placement|\bPIPE\b|gross proceeds|net proceeds|proceeds", 2.4),
    ("financing", r"rais(?:e[sd]?|ing)|financings?|funding round|(?:pre-)?seed round|(?:private |strategic |investment |equity |growth |venture |angel |bridge )+rounds?|fundraise|IPO|refinanc(?:e|es|ed|ing)|drawdown|series [a-f]\b|convertible|senior notes|notes due|debentures?|loan|credit (?:facility|line)|lines? of credit|(?:bridge|revolving|credit|loan|debt|term|warehouse) (?:\w+ )?facility|bridge loan|term loan|at[- ]the[- ]market|(?:stock|share|equity) sales|(?-i:ATM) (?:program(?:me)?|offering|facility)|principal amount|capital raise|equity capital|funded|(?:gold|silver|copper|metals?|precious metals?|royalty) stream|stream(?:ing)? (?:financing|agreement|deal|transaction)", 2.0),
    ("price_per_share", r"per (?:share|unit|ADS|warrant)|a share\b|share price|price per share|(?:offering|exercise|conversion|strike|closing|purchase|base|subscription|issue) price|price target|target price", 2.4),
    ("revenue", r"revenues?|net sales|(?:retail |product |total |gross )?sales\b|turnover|bookings|top[- ]line", 2.2),
    # annual recurring revenue (a cue of its own: its anchor "arr" is in "warrant", and only this small regex runs on it)
    ("revenue", r"(?-i:ARR)", 2.2),
    ("earnings", r"net (?:income|loss|earnings|profit)|EBITDA|EBIT\b|operating (?:income|loss|profit)|\bEPS\b|earnings|profit|(?:net |operating )?loss(?:es)?\b|per diluted share|diluted|pre-tax income|income before", 2.5),
    ("cash", r"cash(?:,)? (?:and|&) (?:cash )?equivalents|cash(?: and investments)? (?:position|balance|reserves?|runway|on hand)|cash, cash equivalents|liquidity|(?:unrestricted|total) cash", 2.6),
    ("contract_value", r"contracts?|subcontract(?:s|ed|ing)?|purchase orders?|\border\b|in (?:new |additional |follow-on |repeat )?orders|orders? (?:worth|valued)|supply agreement|service agreement|awarded", 1.9),
    ("dealvalue", r"(?:total|aggregate|overall|consolidated|potential|deal|transaction|contract|agreement) (?:\w+ )?value|deal (?:proceeds|size)|equity value", 2.8),
    ("generic", r"agreements?|deal\b|award\b|commitments?|committed", 1.1),
    ("payment", r"payments?|paid|pays?|received|receives?|receivable|collected|consideration|entitled to|delivered|in cash|proceeds from (?:the )?(?:agreement|deal|license|partner)", 2.0),
    ("cash", r"end(?:ed|s|ing)? (?:\w+ ){0,3}with|closed the (?:quarter|period|year) with|cash of|(?:resources|balance|holdings|reserves) (?:of|to|totall?ing)", 2.2),
    # (round 5: a department that "awarded" the amount itself gives a grant, "the Energy Department last year awarded $1.2
    # billion to ..."; not "the Department of Defense awarded Halvern a $40 million contract")
    ("grant", r"grants?(?!\s+(?:him|her|them|us|me|you|it)\b)|(?:government|federal|department|agency|DoD|NIH|BARDA|DARPA)\W+(?:\w+\W+){0,2}(?:award|funding|awarded(?=\s*(?:US|USD|C|CAD|A|AU)?\s*$))|non-dilutive|subsid(?:y|ies)", 2.4),
    # Round 6: what a foundation or charitable trust awards, commits or grants, and funding given to research, is a grant
    # ("The Harlow Family Foundation awarded $250,000 to ...", "has dedicated $3.4 million in funding to pediatric research
    # projects"); a company's donation stays other (the giving cue below).
    ("grant", r"(?:foundation|charitable trust|endowment)\W+(?:\w+\W+){0,2}?(?:award(?:ed|s)?|commit(?:ted|s)?|pledged|granted|distribut(?:ed|es))"
     r"|funding\s+(?:to|for)\s+(?:[\w-]+\s+){0,3}?(?:research|studies)\b", 2.6),
    # A pre-/post-money figure is a valuation even where a deal "values" the company ("values X at $800 million pre-money").
    ("valuation", r"pre-money|post-money", 3.4),
    ("valuation", r"valuation|valu(?:es|ed|ing) (?:the company|it|\w+) at|market cap(?:itali[sz]ation)?|enterprise value|implied value|equity value", 2.3),
    ("other", r"market (?:size|opportunit(?:y|ies)|was valued|is valued|valued|is projected|is expected|expected|projected|estimated|to reach|will reach|could reach|worth)|\bCAGR\b|industry|(?:global|worldwide|total addressable|addressable) (?:\w+ ){0,4}market|\bmarket\b", 2.0),
    ("other", r"debt|liabilit(?:y|ies)|costs?\b|expenses?|spend(?:ing)?|capex|capital expenditures?|cash flow|dividends?|interest\b|salary|compensation|fees?\b|waiver|fine|penalt(?:y|ies)|assets|R&D|research and development|invested|capital investment|per (?:oz|ounce|ton|tonne|pound|lb|barrel|bbl|hour|month|year|MWh|kWh)|budget|savings", 1.6),
    ("other", r"backlog|order intake|(?:order|sales|deal|business) pipeline", 2.4),
    # money a firm is putting to work, like "invested" above ("managing $500M and investing $500K–$5M in seed rounds")
    ("other", r"investing", 1.6),
    # Bank and balance-sheet lines: interest income is a bank's revenue; deposits, loans, assets,
    # equity, provisions and charges are neither revenue nor earnings ("deposits grew $80 million").
    ("revenue", r"(?:net |total |non-)?interest income|(?:commission|fee|fees|commission and fee|fee and commission) income", 2.7),
    ("other", r"(?:total |customer )?(?:deposits|loans) (?:rose|grew|increased|decreased|declined|fell)|total (?:deposits|loans)|(?:total )?assets|(?:accounts |trade |notes )?receivables|(?:loan |mortgage |net |total )?originations|working capital(?!\s+(?:\w+\s+)?(?:facilit(?:y|ies)|lines?|loans?|financing))|(?:stockholders|shareholders)['’]? equity|property, plant and equipment|book value|payables", 2.6),
    ("other", r"provisions? (?:for|of)|(?:loan|credit) losses|charge-offs?|impairments?|write-?(?:downs?|offs?)|(?:non-cash |derivative |one-time )+charges?|tax (?:benefit|expense)|unrealized (?:gains?|losses?)|loss on|(?:in|of) (?:net |total |outstanding )?debt(?! (?:financing|facility|offering))", 2.7),
    # Share buybacks return cash to holders: not an equity stake and not a financing.
    ("other", r"(?:share|stock) (?:repurchases?|buy-?backs?)|buy-?backs?|repurchase (?:program|price)", 2.9),
    ("other", r"synerg(?:y|ies)", 2.6),
    # Round 6: a crypto liquidity pool is the depth of a market, not a company's cash; a market's or industry's revenue is a
    # market size ("a liquidity pool exceeding $2 million", "global drone market revenue is projected to hit $55 billion").
    ("other", r"liquidity pools?|(?:market|industry|sector)['’]?s?\s+(?:revenues?|sales)", 2.8),
    # fees a company earns, reported as growing, are its revenue ("management fees increased by $1.4 million")
    ("revenue", r"(?:management|advisory|performance|service|subscription|licensing) fees (?:increased|rose|grew|decreased|declined|fell|were|totall?ed)", 2.7),
    # Crypto and other non-share assets bought or priced ("acquired 28 ETH", "investment in FET tokens").
    ("other", r"tokens?|\bETH\b|\bBTC\b|bitcoin|ether(?:eum)?|stablecoins?|digital assets?", 2.0),
    # an accounting classification outranks what the asset is ("stablecoins classified as cash equivalents")
    ("cash", r"(?:classified|held|recorded|reported) as cash(?: and cash)? equivalents", 3.4),
    ("cash", r"cash equivalents|cash (?:increased|decreased|rose|fell|grew|totall?ed|stood at|was|were|of approximately)", 2.6),
    ("valuation", r"\bNPV(?:\d{1,2}(?:\.\d)?%?)?|net present value", 2.6),
    ("contract_value", r"(?:sales|supply|purchase|service|distribution) (?:contracts?|agreements?|orders?)", 2.8),
    ("financing", r"(?:working capital|equity line|standby equity|financing|funding|debt|credit) (?:\w+ )?(?:facility|line)|(?:strategic|growth|equity|debt|venture|bridge) funding|growth capital|tranches?", 2.0),
    # A divestiture's price: something a business owns changes hands ("selling its manufacturing
    # facility for $6 million", "sells three non-core businesses", "closes $23.6M sale to ...").
    # Selling shares is a financing, and "selling pressure" or "selling expenses" sell nothing. ("sale" is matched
    # without the space after it: a cue may not end where a word goes on, so "sale (?=of)" never matched.)
    # Prizes, gifts, donations, scholarships and sign-up bonuses are money handed out, not deal terms:
    # "received a cash prize of HK$40,000", "awarded a $500 gift voucher", "a $10 welcome bonus".
    ("other", r"(?:cash )?prizes?|prize (?:pool|money)|(?:trading )?contests?|gift (?:cards?|vouchers?|certificates?)|e-gift|vouchers?|donations?|donat(?:e[sd]?|ing)|scholarships?|(?:welcome|sign-?up|referral|daily) bonus(?:es)?|bonus(?:es)?\b(?! shares)"
        r"|(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)[- ]place|for (?:first|second|third|fourth|fifth) place|runners?-up", 3.0),
    # (round 5: "is offering $1 million in rewards to traders"; a cue of its own, so that the long one above runs on no more windows)
    ("other", r"rewards?", 3.0),
    # Round 6: rebates and cash back are money handed to buyers too ("a $270 million rebate program will provide $3,500 in
    # rebates for each car").
    ("other", r"rebates?|cash[- ]?back", 3.0),
    # ... and so is charitable and community giving ("$400,000 in community investments", "$25,000 in food assistance",
    # "the company's $1 billion commitment to advance digital equity").
    ("other", r"community (?:investments?|giving|grants?|contributions?)|(?:commitment|pledge) to (?:advance|advancing|promote|promoting|improve|improving|close|closing|bridge|bridging)\b|charitable (?:giving|contributions?|gifts?)|(?:nutrition|food|rental|housing|tuition) assistance|sponsorships?", 3.0),
    # Securities sold to an investor under a purchase agreement, notes and shelf registrations are
    # financings, not supply contracts ("an equity purchase agreement for $75 million", "$10 million in
    # senior secured notes"); a "share/stock purchase agreement" is left to the acquisition cues.
    ("financing", r"(?:equity|securities|note|subscription|standby equity|common stock) purchase agreements?|(?:senior |secured |unsecured |convertible |promissory |subordinated )+(?:\w+ )?notes|shelf (?:registration|offering)|investment capital|new capital"
     # ... and so are notes or shares sold under an underwriters' or purchasers' option ("the full exercise of the option
     # granted for the purchase of up to $60.0 million in aggregate principal of the notes"), not a purchase of a business.
     # (Each alternative is written with its own long literal, so that the shared anchor scan does not run this cue on every "option".)
     r"|over-?allotment option|greenshoe option|underwriters['’]? option|purchasers['’]? option"
     r"|option (?:granted )?to purchase up to|option (?:granted )?for the purchase of up to|aggregate principal", 2.9),
    # Lenders' commitments are financings ("provided more than $4 billion in secured debt commitments").
    ("financing", r"(?:debt|loan|credit|financing|lending) commitments?", 2.8),
    # A token presale is a fundraising ("Hits $1 Million in Presale", "has already amassed over $2 million").
    # Round 4 (scripts/kinds_unseen4): also "its presale has now accumulated over $1,000,000", "In its presale stage, it has
    # already generated over $1.6 million in investments"; "amassed" raises money only for a token or presale, not
    # "amassed over $250 million of prime South Florida assets".
    (
        "financing",
        r"in (?:the |its )?presale\b(?! stage)|raised in (?:the )?presale"
        r"|presale(?:\s+(?:stage|phase|round|campaign))?,?\s+(?:(?:it|which)\s+)?(?:(?:has|have)\s+)?(?:now\s+|already\s+)?(?:raised|total(?:l?ed)?|accumulated|amassed|generated|attracted|collected|surpassed|crossed|exceeded)"
        r"|(?:presale|token|coin|ICO|IDO|project)\b[^.;$]{0,60}\bamassed",
        2.4,
    ),
    # Cash positions printed with securities or as available cash ("cash and marketable securities of $8.5 million").
    ("cash", r"cash(?:,)? (?:and|&) (?:marketable |short-term )?(?:securities|investments)|cash, equivalents|available cash|cash available", 2.8),
    # Round 3 (scripts/kinds_unseen3). A token sale's cap is its fundraising goal ("a hard cap of $7 million").
    ("financing", r"(?:hard|soft) caps?", 2.9),
    # Total value locked in a protocol and deal/transaction volume are business volume, not one deal's value
    # ("over $22 billion in total value locked", "has completed $8 billion in transactions", "$800 billion in deal activity").
    # Volume is a cue only with "in" ("$1.2 billion in deal volume"), so that in "revenue fell to $5.6M as transaction
    # volume fell to $172M" the revenue keeps its cue (the volume naming the next amount is `roles._VOLUME_BEFORE`).
    ("other", r"total value locked|\bTVL\b|in (?:[\w-]+ ){0,2}(?:transactions\b|transaction volumes?|deal (?:activity|volume|flow))", 3.0),
    # Money raised for a cause is a donation, not a company's financing ("raised $15 million for hunger relief").
    ("other", r"for (?:[\w-]+ )?relief|for (?:charity|charities|a good cause)|for (?:(?:local|national|regional|and|area) )*(?:non-?profits|charities)|to (?:support|benefit|help) (?:[\w-]+ ){0,2}(?:charit(?:y|ies)|famil(?:y|ies)|victims|children|veterans|causes?)", 3.0),
    # ... and so is what a (capital, charity, political) campaign raised ("the campaign, which raised nearly $60 million",
    # "two capital campaigns raising nearly $100 million"); a crowdfunding, presale or funding campaign is a financing.
    # (A cue of its own, anchored on "campaign", so the one above, which runs on most windows, gets no longer; the
    # lookahead comes first so the look-behinds are tried only where "campaign" starts.)
    ("other", r"(?=campaign)(?<!crowdfunding )(?<!crowd-funding )(?<!kickstarter )(?<!indiegogo )(?<!presale )(?<!funding )campaigns?(?:,?\s+(?:which|that))?(?:\s+(?:has|have|had))?\s+(?:already\s+|successfully\s+)?rais(?:ed|es|ing)", 3.0),
    # Round 5 (scripts/kinds_unseen5): a product's minimum order and a lender's or investor's ticket sizes are terms of a product,
    # not a contract or a financing ("The minimum order is $1,500", "loan sizes between $250K and $5MM").
    ("other", r"minimum (?:order|purchase|investment|deposit)s?(?: amounts?)?|(?:loan|ticket|check|cheque) sizes?", 2.6),
    # Cloud-mining contracts and packages are products sold to users ("mining contracts: contract prices range from $100").
    ("other", r"mining (?:contracts?|packages?|plans?)|(?:contract|package) prices?", 3.0),
    # A percentage stake is an equity stake ("will hold a 51% stake and invest up to $150,000").
    ("equity", r"\d+(?:\.\d+)?\s?%\s+(?:equity\s+|ownership\s+|controlling\s+|majority\s+|minority\s+)?(?:stake|(?:ownership|equity) interest)", 2.4),
    # Round 7 (scripts/kinds_unseen7): the value of a company or business is a valuation ("helped drive the value of his
    # companies north of a billion dollars"), not the value of what it sells ("the value of the company's products");
    # a warrant exercise or inducement agreement and seed funding raise money ("Announces $3.8 Million Warrant Exercise
    # Agreement", "closed $2 million in seed funding"). (Cues of their own, with long literal anchors.)
    ("valuation", r"value of (?:(?:his|her|its|their|the|our|this|that)\s+)?(?:compan(?:y|ies)|business(?:es)?|firms?)(?!['’]s)", 2.4),
    ("financing", r"warrant (?:exercise|inducement)s?(?: agreements?| transactions?| offers?)?|(?:pre-)?seed funding", 2.4),
    ("acquisition_price", r"(?:sell(?:s|ing)?|sold|divest(?:s|ed|ing)?|sale of)\s+(?:[\w'’-]+\s+){0,4}?(?:business(?:es)?|units?|divisions?|facilit(?:y|ies)|plants?|propert(?:y|ies)|assets|stakes?|portfolios?|subsidiar(?:y|ies)|operations|brands?)\b|divestitures?|sale(?=\s+(?:to|of)\b)(?!\s+of\s+(?:\S+\s+){0,3}(?:shares|units|stock|notes|warrants|tokens))", 1.9),
)
# A cue starts after a non-word character or where a lower-case letter meets an upper-case one:
# text extraction glues a heading to its first sentence ("Fourth Quarter EarningsNet income").
_CUE_START = r"(?:(?<![\w-])|(?-i:(?<=[a-z])(?=[A-Z])))"
KIND_REGEX = tuple((kind, re.compile(rf"{_CUE_START}(?:{pattern})(?![\w]|-\w)", re.IGNORECASE), weight) for kind, pattern, weight in KIND_CUES)

POTENTIAL_CUES = (
    # "may" but not the month ("as of May 31, 2024", "in May 2025"; round 7: the look-behinds are whole words, so "the coin
    # may climb to" and "Bitcoin may reach" are forecasts), nor "may have", which speculates about the past ("traders may
    # have been taking profits")
    (r"up to|as much as|eligible|could|(?<!\bin )(?<!\bof )(?<!\bsince )(?<!\bduring )may(?!\s*\d)(?!,? (?:19|20)\d\d)(?!\s+have\b)|(?<!the )(?<!combined )might(?!\s+of\b)|would|potential(?:ly)?|contingent(?! liabilit)|subject to|upon (?:the )?(?:achievement|approval|completion|closing)|if\b|until(?!\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|(?:19|20)\d\d\b|noon|midnight|(?:now|recently|today|then)\b))|opportunit(?:y|ies)", 2.0),
    # "project(s)" only as a verb ("projects revenue of"), not the noun ("signed 475 solar projects"); likewise
    # "might" is not the noun ("the combined might of"), above.
    (r"expect(?:s|ed)?|anticipat(?:es?|ed)|project(?:ed|ions?)|projects?(?=\s+(?:that|it|its|the company|we|revenues?|sales|earnings|EBITDA)\b)|projects(?=\s+to\s+(?!date\b))|forecast(?:s|ed)?|estimat(?:es?|ed) to|guidance|outlook|target(?:s|ed)?|aim(?:s|ing)?|plan(?:s|ned)? to|intend(?:s|ed)?|seek(?:s|ing)?|set to|planned|estimat(?:es?|ed)|to be (?:paid|received)", 1.8),
    (r"receivable|remaining|future|(?<!ed an )additional|deferred|earn-?out|in certain circumstances|by (?:the end of )?(?:19|20)\d\d|to reach|to exceed|grow(?:ing)? to|expand(?:ing)? to|rise to|reach|(?:upon|when|once|on|until|if)\s+(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+){0,2}?reaching|head(?:s|ed|ing)? (?:toward|towards|for)|entitled|(?:over|during) the (?:next|coming)|pending|propos(?:e|es|ed)|letter of intent|non-binding", 1.4),
    # Round 5: a price moving toward a level has not reached it ("as SOL climbs toward $210"); a facility "expandable to" a size
    # is a ceiling. (A pattern of its own: "toward" is common, and the one above is long.)
    (r"(?:climb|mov|push|march|edg|inch)(?:s|es|ed|ing|e)? (?:toward|towards)|expandable to", 1.4),
    # Round 6: "can" with a move to a level is a forecast ("the coin can spike to over $9,000", "can end 2026 at $7,250",
    # "can raise over $3 million"), not what a customer can do ("can buy the kit for $49"); so is a date in a quarter or
    # month ("by Q3", "by the end of the month"; not a dated quarter, "grew to £11 million by the end of Q1 2024", nor what "can
# exceed" a level: "the lifetime cost of care can exceed $1 million").
    (r"can (?:(?:easily|potentially|still|soon|quickly)\s+)?(?:reach|hit|raise|climb|soar|surge|spike|end|rise|grow|cross|jump|rally|double|triple|go)"
     r"|by (?:the end of )?(?:Q[1-4]|H[12])\b(?!\s*(?:19|20)\d\d)|by the end of the month", 1.8),
    # Round 7: what someone "will need" is not yet spent ("they will need around $1.07 million to retire"). (What a plan
    # "can earn" stays its stated term, as round 5 judged: "traders can earn $126 in total profit".)
    (r"will (?:need|require)", 1.8),
    # (An "additional" amount after a past-tense verb happened: "invested an additional $450,000 into the notes".
    # "reaching" is a level reached ("total deposits increased by $25.9 million, reaching $878.9 million"), except as a
    # condition ("US$40 million upon the project reaching 50% completion"); after a forward
    # word in its sentence it is a forecast, `roles._REACHING_FORECAST_BEFORE`.)
    # Goals, predictions, synergies, present values and payments falling due later are not yet real; a token sale's
    # hard or soft cap is a goal too.
    # Round 5: the figure an estimate or consensus names ("outperformed their estimate of $30 million") is an estimate.
    (r"(?:estimates?|consensus|expectations?|forecasts?)\s+of\s*$", 2.6),
    (r"goals?|objectives?|predict(?:s|ed)?|synerg(?:y|ies)|\bNPV(?:\d{1,2}(?:\.\d)?%?)?|net present value|by (?:the )?year[- ]end|by the end of the (?:year|quarter)|(?:will|would) be (?:due|payable)|corridor|(?:hard|soft) caps?", 1.8),
)
ACTUAL_CUES = (
    # A figure compared with guidance or estimates is reported, not forecast ("beat EPS expectations",
    # "both above guidance", "came in ahead of consensus"; round 5: "outperformed their estimate"; the estimate's own figure
    # right after it is an estimate, the potential cue "estimate of" above).
    (r"(?:beat|beats|beating|topped|exceeded|exceeds|outperformed|outperforms|surpassed|surpassing|missed|above|below|ahead of|in line with)\s+(?:[\w()'’-]+\s+){0,4}?(?:expectations|guidance|estimates?|consensus|forecasts?)", 2.2),
    (r"received|paid|closed|closes|completed|completes|receives|secures|signs|reports|posts|raises|reported|generated|raised|collected|delivered|signed|(?<!senior )secured(?! (?:\w+ )?(?:notes?|loans?|debt|facilit(?:y|ies)|credit|term))|sold|issued|priced|funded|recorded|posted|achieved|ended|awarded|totall?ing|totall?ed|to date|has (?:been )?|have (?:been )?|was|were|outstanding|existing|in (?:19|20)\d\d|year ended|quarter ended|period ended|as of", 1.5),
    # Round 4: synergies or a presale total already reached ("has realised £21 million in cost synergies", "its presale has
    # accumulated over $1,000,000"). A pattern of its own, so the one above, tried at every position of most windows, gets no longer.
    (r"reali[sz]ed|accumulated", 1.5),
)
# A status cue starts after a non-word character (or at the start of the text).
_WORD_START = r"(?<![\w-])"
POTENTIAL_REGEX = tuple(("potential", re.compile(rf"{_WORD_START}(?:{p})(?![\w])", re.IGNORECASE), w) for p, w in POTENTIAL_CUES)
ACTUAL_REGEX = tuple(("actual", re.compile(rf"{_WORD_START}(?:{p})(?![\w])", re.IGNORECASE), w) for p, w in ACTUAL_CUES)


def literal_anchors(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains, or None if none can be named.

    They let a rule skip a regex on a text that holds none of them (a search for plain strings
    instead of the cue's own scan, and most cues are absent from most windows). Each alternative contributes its
    longest run of literal characters (3 or more); an alternative without one (e.g. `\\d+`) makes
    the whole pattern un-anchored. Valid for matching with re.IGNORECASE on ASCII text.
    """
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def anchors(items: list[tuple[object, object]]) -> frozenset[str] | None:
        runs, run = [], ""
        for op, av in items:
            if op is sre.LITERAL:
                run += chr(av)  # type: ignore[arg-type]
            else:
                runs.append(run)
                run = ""
        longest = max([*runs, run], key=len)
        if len(longest) >= 3:
            return frozenset({longest.lower()})
        for op, av in items:  # else: a group every match passes through, if each of its alternatives is anchored
            if op is sre.BRANCH:
                alternatives = av[1]  # type: ignore[index]
            elif op is sre.SUBPATTERN:
                alternatives = [av[3]]  # type: ignore[index]
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:  # type: ignore[index, operator]
                alternatives = [av[2]]  # type: ignore[index]
            else:
                continue
            found = [anchors(list(alternative)) for alternative in alternatives]
            if all(f is not None for f in found):
                return frozenset().union(*found)  # type: ignore[arg-type]
        return None

    return anchors(list(_parser.parse(pattern, re.IGNORECASE)))


def anchor_search(pattern: str) -> re.Pattern[str] | None:
    """A search for any of `pattern`'s literal anchors in lower-cased text (None: it has none)."""
    anchors = literal_anchors(pattern)
    if not anchors:
        return None
    search = re.compile("|".join(re.escape(a) for a in sorted(anchors)))
    _LITERALS[search] = tuple(sorted(anchors))
    return search


# anchor search -> its literal strings: `may_match` tests them with `in` (a C substring search,
# faster than the alternation's scan; the same answer, as the search is only those literals).
# Filled once at import, by anchor_search only.
_LITERALS: dict[re.Pattern[str], tuple[str, ...]] = {}


# The only characters outside ASCII that re.IGNORECASE matches to an ASCII letter (`IGNORECASE_ASCII_FOLDS`):
# lower-casing does not turn them into that letter, so a text holding one is searched in full.
_FOLDS_TO_ASCII = "".join(IGNORECASE_ASCII_FOLDS)  # tested with `in` (faster than a regex class on a long text)


def searchable(text: str, lowered: str | None = None) -> str | None:
    """`text` lower-cased for `may_match`, or None when lower-casing could hide an IGNORECASE match.

    Any text is fine except one holding a character that re.IGNORECASE equates with an ASCII
    letter while str.lower() does not (curly quotes and accents are fine: a cue's anchors are ASCII).
    `lowered`: `text.lower()` when the caller has it already.
    """
    # (the four `_FOLDS_TO_ASCII` tests written out: a generator costs more than the tests on a window's text)
    if text.isascii() or ("\u0130" not in text and "\u0131" not in text and "\u017f" not in text and "\u212a" not in text):
        return text.lower() if lowered is None else lowered
    return None


def may_match(anchors: re.Pattern[str] | None, lowered: str | None) -> bool:
    """False only when a regex cannot match: the text holds none of its anchors."""
    if anchors is None or lowered is None:
        return True
    literals = _LITERALS.get(anchors)
    if literals is None:
        return anchors.search(lowered) is not None
    return any(literal in lowered for literal in literals)


class Anchored:
    """A regex searched only in texts that hold one of its literal anchors: the same matches, fewer scans.

    For the role constructions searched in every mention's window (most windows hold none of
    their words); `search` answers as `regex.search`.
    """

    __slots__ = ("anchors", "literals", "regex", "starts")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.anchors = anchor_search(regex.pattern)
        self.literals = _LITERALS.get(self.anchors) if self.anchors is not None else None
        self.starts = Starts(regex)  # and where an anchored text holds one, tried only where a match can begin

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """`regex.search(text)`; `lowered`: `text.lower()` when the caller has it already."""
        return self.search_in(text, searchable(text, lowered))

    def search_in(self, text: str, lowered: str | None) -> re.Match[str] | None:
        """`search(text)` where `lowered` is `searchable(text)`, or the same slice of a longer text's `searchable` form
        (None: `text` is searched in full). A slice's own lower-cased form differs from it only where str.lower reads
        context (a final sigma), never at an ASCII character, and anchors and start strings are ASCII."""
        literals = self.literals
        if literals is None:  # no anchors (or no literals for them): as `may_match` decides
            return self.starts.search(text, lowered) if may_match(self.anchors, lowered) else None
        if lowered is not None:  # `may_match` inlined: it runs for every construction in every window
            for literal in literals:
                if literal in lowered:
                    break
            else:
                return None
        return self.starts.search(text, lowered)


def _trie(words: Iterable[str]) -> str:
    """A regex for the longest of `words` that starts where it is tried (a trie: one branch per next character)."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")  # greedy: the longer word first

    return build(root)


# -- where a match can begin (`Starts`) --------------------------------------------------------------
#
# re tries a pattern at every position of a text unless it begins with a literal or a character set
# that is not case-folded; every cue regex begins with a look-behind and is IGNORECASE, so each is
# tried at every position of every window side. `Starts` names the strings one of which begins
# every match, finds them in the lower-cased text with one case-sensitive trie scan (which re skips
# ahead through), and tries the regex only there: `regex.match(text, p)` at a position is what
# `regex.search` tries at that position, with the same look-behinds into the text before it.

_STARTS_CAP = 64  # at most this many strings from one literal run followed by a group


def _chars(members: list[tuple[object, object]]) -> set[str] | None:
    """The lower-cased characters of a small character class of ASCII literals and ranges (None: any other class)."""
    from re import _constants as sre  # type: ignore[attr-defined]

    chars: set[str] = set()
    for op, av in members:
        if op is sre.LITERAL and chr(av).isascii():  # type: ignore[arg-type]
            chars.add(chr(av).lower())  # type: ignore[arg-type]
        elif op is sre.RANGE and av[1] - av[0] < 12 and chr(av[1]).isascii():  # type: ignore[index, operator]
            chars.update(chr(code).lower() for code in range(av[0], av[1] + 1))  # type: ignore[index, operator]
        else:
            return None
    return chars or None


def _firsts(items: list[tuple[object, object]], state: object) -> set[str] | None:
    """Lower-case ASCII strings one of which every match of the sequence `items` starts with (None: none can be named).

    Zero-width items (look-arounds, word boundaries) are stepped over: they consume nothing. A
    literal run is extended by what must follow it, a group or alternation by what follows the group.
    """
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    for i, (op, av) in enumerate(items):
        if _parser.SubPattern(state, [(op, av)]).getwidth() == (0, 0):
            continue
        rest = items[i + 1 :]
        if op is sre.LITERAL:
            run, j = "", i
            while j < len(items) and items[j][0] is sre.LITERAL and chr(items[j][1]).isascii():  # type: ignore[arg-type]
                run += chr(items[j][1]).lower()  # type: ignore[arg-type]
                j += 1
            if not run:
                return None  # a non-ASCII literal: its case folding is not str.lower's
            tail = _firsts(items[j:], state) if j < len(items) and items[j][0] is not sre.LITERAL else None
            return {run + t for t in tail} if tail and len(tail) <= _STARTS_CAP else {run}
        if op is sre.SUBPATTERN:
            return _firsts(list(av[3]) + rest, state)  # type: ignore[index, call-overload]
        if op is sre.BRANCH:
            found: set[str] = set()
            for alternative in av[1]:  # type: ignore[index, union-attr]
                each = _firsts(list(alternative) + rest, state)
                if each is None:
                    return None
                found |= each
            return found
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = av  # type: ignore[misc]
            # at most once: the body then what follows; more: the first repeat's start only
            found = _firsts(list(body) + rest, state) if high == 1 else _firsts(list(body), state)
            if found is None:
                return None
            if low == 0:
                after = _firsts(rest, state)
                return None if after is None else found | after
            return found
        if op is sre.IN:
            chars = _chars(list(av))  # type: ignore[call-overload]
            if chars is None:
                return None
            tail = _firsts(rest, state) if rest else None
            combined = {c + t for c in chars for t in tail} if tail else set()
            return combined if tail and len(combined) <= _STARTS_CAP else chars
        return None  # any character, a category, a negated class: no string names the start
    return None  # the sequence can match the empty string


def start_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which begins every match of `regex` (None: none can be named).

    Valid for the lower-cased text when `searchable` gives one: str.lower() then maps every
    character to one character (so offsets agree), and a character IGNORECASE matches to an
    ASCII letter or digit, or a case-sensitive pattern matches exactly, lower-cases to that
    letter's lower case (the characters for which this fails are `_FOLDS_TO_ASCII`).
    """
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(regex.pattern, regex.flags)
    found = _firsts(list(parsed), parsed.state)
    return frozenset(found) if found else None


class Starts:
    """A regex tried only where one of its `start_literals` begins: `search` and `finditer` answer as the regex's own.

    `lowered` is `searchable(text)`; where it is None (or the regex's starts cannot be named) the
    regex scans `text` itself.
    """

    __slots__ = ("find", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        literals = start_literals(regex)
        # (a case-sensitive trie over lower-cased text begins with a character set: re skips ahead to it)
        self.find = re.compile(_trie(literals)).search if literals else None

    def search(self, text: str, lowered: str | None, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """`regex.search(text, pos, endpos)`, where `lowered` is `searchable(text[pos:endpos])`.

        That search tries `regex.match(text, p, endpos)` at each p from `pos` on; a match begins
        with a start string and ends by `endpos`, so the string lies in the slice, at p - pos.
        """
        end = len(text) if endpos is None else min(endpos, len(text))
        find = self.find
        if find is None or lowered is None:
            return self.regex.search(text, pos, end)
        match = self.regex.match
        hit = find(lowered)
        while hit is not None:
            at = hit.start()
            found = match(text, pos + at, end)
            if found is not None:
                return found
            hit = find(lowered, at + 1)
        return None

    def finditer(self, text: str, lowered: str | None) -> list[re.Match[str]]:
        """The matches `regex.finditer(text)` gives, in order (every match holds a start string, so none is empty)."""
        find = self.find
        if find is None or lowered is None:
            return list(self.regex.finditer(text))
        match = self.regex.match
        found = []
        hit = find(lowered)
        while hit is not None:
            at = hit.start()
            one = match(text, at)
            if one is not None:
                found.append(one)
                hit = find(lowered, one.end())
            else:
                hit = find(lowered, at + 1)
        return found


def _start_kind(regex: re.Pattern[str], prefixes: dict[str, str]) -> str | None:
    """"word" when every match of `regex` begins after a non-word character other than "-" (or at offset 0),
    "cue" when also where a lower-case letter meets an upper-case one (`_CUE_START`), None otherwise.

    Read from the parsed pattern: its first item must be that look-behind (the sequence of items
    every match passes through, so the assertion holds where each match begins). `prefixes`: the
    parsed form of each start (`_start_prefixes`) -> its kind."""
    from re import _parser  # type: ignore[attr-defined]

    parsed = list(_parser.parse(regex.pattern, regex.flags))
    return prefixes.get(repr(parsed[0])) if len(parsed) > 1 else None


def _start_prefixes(flags: int) -> dict[str, str]:
    from re import _parser  # type: ignore[attr-defined]

    return {repr(list(_parser.parse(start, flags))[0]): kind for kind, start in (("cue", _CUE_START), ("word", _WORD_START))}


# `StartScan` reads start strings up to this many characters: every match still begins with the prefix, and the trie
# of the cues' ~1,050 start strings (~750 prefixes) compiles in a third of the time (import cost).
_SCAN_PREFIX = 8


class StartScan:
    """Where each of a set of cue regexes may begin in a text, from one scan for all their start strings at once.

    Every cue regex opens with `_WORD_START` or `_CUE_START`, so a match begins at offset 0, just
    after a character that is neither a word character nor "-", or (`_CUE_START` only) where a
    lower-case ASCII letter meets an upper-case one; and with one of its `start_literals`. The scan
    `[^a-z0-9_-]` + a trie of every regex's start strings makes re skip ahead to the blanks and
    punctuation (an ASCII class leads it: one table look-up per character) and read there the
    longest start string; every start string that is a prefix of it begins there too (`_closure`).
    In the `searchable` (lower-cased) text the class holds every character before such a start (no
    character outside ASCII lower-cases into ASCII there, and ASCII punctuation stays itself) and some
    more (letters outside ASCII), so the offsets `starts` lists per regex are every offset where it
    may begin and a few where it cannot: `regex.match` there is what `regex.finditer` tries.
    Regexes whose start strings or start cannot be named are in `always` and get no offsets.
    """

    def __init__(self, regexes: Iterable[re.Pattern[str]]) -> None:
        self.bits: dict[re.Pattern[str], int] = {}
        self.always = 0
        camel = 0
        by_literal: dict[str, int] = {}
        prefixes: dict[int, dict[str, str]] = {}
        for position, regex in enumerate(regexes):
            bit = self.bits[regex] = 1 << position
            if regex.flags not in prefixes:
                prefixes[regex.flags] = _start_prefixes(regex.flags)
            literals, kind = start_literals(regex), _start_kind(regex, prefixes[regex.flags])
            if not literals or kind is None:
                self.always |= bit
                continue
            if kind == "cue":
                camel |= bit
            for literal in literals:
                literal = literal[:_SCAN_PREFIX]
                by_literal[literal] = by_literal.get(literal, 0) | bit
        self.everything = (1 << len(self.bits)) - 1
        # the longest start string read at an offset -> the bits of every start string that is a prefix of it, one by one
        closure = {
            longest: functools.reduce(operator.or_, (by_literal.get(longest[:size], 0) for size in range(1, len(longest) + 1)))
            for longest in by_literal
        }
        self._closure = {longest: (bits, _single_bits(bits), _single_bits(bits & camel)) for longest, bits in closure.items()}
        trie = _trie(by_literal)
        self._at = re.compile(trie).match
        self._after_gap = re.compile(r"[^a-z0-9_-](" + trie + ")").search
        self._camel = re.compile(r"[a-z](?=[A-Z])").search if camel else None

    def starts(self, text: str, lowered: str | None) -> tuple[int, dict[int, list[int]] | None]:
        """(mask, offsets): the bits of the regexes that may match `text`, and per bit the ascending offsets
        where that regex may begin (`lowered` is `searchable(text)`; None: every bit and no offsets).
        A bit of `always` is in the mask without offsets: that regex is tried as before."""
        if lowered is None:
            return self.everything, None
        mask = self.always
        offsets: dict[int, list[int]] = {}
        closure = self._closure
        found = self._at(lowered)
        if found is not None:
            entry = closure[found.group()]
            mask |= entry[0]
            for bit in entry[1]:
                offsets[bit] = [0]
        search = self._after_gap
        hit = search(lowered)
        while hit is not None:
            at = hit.start(1)
            entry = closure[hit.group(1)]
            mask |= entry[0]
            for bit in entry[1]:
                found_at = offsets.get(bit)
                if found_at is None:
                    offsets[bit] = [at]
                else:
                    found_at.append(at)
            hit = search(lowered, at)
        camel = self._camel
        if camel is not None:  # rare: a lower-case letter glued to a capital ("EarningsNet")
            glued = camel(text)
            while glued is not None:
                at = glued.end()
                found = self._at(lowered, at)
                if found is not None:
                    for bit in closure[found.group()][2]:
                        mask |= bit
                        found_at = offsets.get(bit)
                        if found_at is None:
                            offsets[bit] = [at]
                        else:
                            found_at.append(at)
                            found_at.sort()
                glued = camel(text, at)
        return mask, offsets


def _single_bits(mask: int) -> tuple[int, ...]:
    """The set bits of `mask`, one per item, lowest first."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low)
        mask ^= low
    return tuple(bits)


def finditer_at(regex: re.Pattern[str], text: str, offsets: list[int]) -> list[re.Match[str]]:
    """The matches `regex.finditer(text)` gives, when every match begins at one of the ascending `offsets`.

    finditer tries each offset from the end of the last match on; a match is never empty here
    (it holds a start string), so an offset inside the last match is skipped."""
    match = regex.match
    found = []
    end = 0
    for at in offsets:
        if at < end:
            continue
        one = match(text, at)
        if one is not None:
            found.append(one)
            end = one.end()
    return found


def search_at(regex: re.Pattern[str], text: str, offsets: list[int]) -> re.Match[str] | None:
    """`regex.search(text)` when every match begins at one of the ascending `offsets`."""
    match = regex.match
    for at in offsets:
        one = match(text, at)
        if one is not None:
            return one
    return None


# cue regex -> a search for its anchors in lower-cased text (None: the regex has none)
CUE_ANCHORS: dict[re.Pattern[str], re.Pattern[str] | None] = {
    regex: anchor_search(pattern)
    for (_, regex, _), (_, pattern, _) in zip(
        (*KIND_REGEX, *POTENTIAL_REGEX, *ACTUAL_REGEX),
        (*KIND_CUES, *(("potential", p, w) for p, w in POTENTIAL_CUES), *(("actual", p, w) for p, w in ACTUAL_CUES)),
    )
}

# every cue regex tried only where it may begin, from one scan per text for all their start strings (`StartScan`)
CUE_START_SCAN = StartScan(CUE_ANCHORS)


class CueTable(tuple):  # type: ignore[type-arg]
    """A cue table, (bit, label, regex, weight) entries in vote order, that finds the entries a mask allows.

    A window side holds a few of a table's ~60 cue anchors: `allowed` walks the mask's set bits
    instead of testing every entry, and gives the same entries in the same (table) order.
    """

    mask: int
    by_bit: dict[int, tuple[int, str, re.Pattern[str], float]] | None

    def __new__(cls, entries: Iterable[tuple[int, str, re.Pattern[str], float]]) -> CueTable:
        table = super().__new__(cls, entries)
        bits = [bit for bit, _, _, _ in table]
        table.mask = functools.reduce(operator.or_, bits, 0)
        # bit -> entry, when the bits rise with the table order (then ascending bits are table order)
        table.by_bit = dict(zip(bits, table)) if all(a < b for a, b in zip(bits, bits[1:])) else None
        return table

    def allowed(self, mask: int) -> list[tuple[int, str, re.Pattern[str], float]]:
        """The entries whose bit is set in `mask`, in table order."""
        if self.by_bit is None:
            return [entry for entry in self if entry[0] & mask]
        found, left, by_bit = [], mask & self.mask, self.by_bit
        while left:
            low = left & -left
            found.append(by_bit[low])
            left ^= low
        return found


def with_bits(table: tuple[tuple[str, re.Pattern[str], float], ...]) -> CueTable:
    """A cue table with each regex's bit in a `CUE_START_SCAN.starts` mask in front: (bit, label, regex, weight)."""
    return CueTable((CUE_START_SCAN.bits[regex], label, regex, weight) for label, regex, weight in table)
