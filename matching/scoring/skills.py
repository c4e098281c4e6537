"""A small lexicon of skills, to say which of a job's skills a resume shows and lacks.

Matching is on token sequences (see intake.terms.tokenize), so "machine learning" matches the
words in order and "c++" stays one token. Extend freely; order does not matter.
"""

from __future__ import annotations

from matching.intake.terms import contains_phrase, tokenize

SKILLS = """
python; java; javascript; typescript; c++; c#; go; golang; rust; ruby; php; scala; kotlin;
swift; r; sql; bash; html; css; react; angular; vue; node.js; django; flask; fastapi;
spring; spring boot; .net; rails; graphql; rest; microservices; postgresql; mysql; oracle;
mongodb; redis; elasticsearch; kafka; rabbitmq; spark; hadoop; airflow; dbt; snowflake;
docker; kubernetes; terraform; ansible; jenkins; gitlab; github actions; ci/cd; aws;
azure; gcp; linux; git; celery; pandas; numpy; scikit-learn; tensorflow; pytorch; keras;
machine learning; deep learning; nlp; computer vision; statistics; data analysis;
data visualization; tableau; power bi; excel; sap; salesforce; crm; seo; sem; google ads;
social media; content marketing; copywriting; figma; sketch; adobe photoshop;
illustrator; indesign; ux; ui; user research; prototyping; wireframing; agile; scrum;
kanban; jira; project management; stakeholder management; leadership; mentoring;
negotiation; sales; account management; lead generation; customer service; accounting;
bookkeeping; ifrs; gaap; auditing; tax; budgeting; forecasting; payroll; accounts payable;
accounts receivable; financial reporting; reconciliation; cpa; nursing; patient care;
icu; critical care; medication administration; bls; acls; triage; wound care; ehr;
epic; infection control; teaching; curriculum; lesson planning; classroom management;
cad; solidworks; autocad; catia; ansys; fea; cfd; matlab; gd&t; lean; six sigma;
manufacturing; recruiting; onboarding; employee relations; hris; labor law; security;
penetration testing; networking; itil; testing; selenium; unit testing; tdd
"""

SKILL_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (s.strip(), tuple(tokenize(s.strip())))
    for s in SKILLS.replace("\n", " ").split(";")
    if s.strip() and tokenize(s.strip())
)


def _contains(tokens: list[str], phrase: tuple[str, ...], token_set: set[str]) -> bool:
    # The set answers most phrases (one word, or a first word the text lacks) at once.
    if len(phrase) == 1 or phrase[0] not in token_set:
        return phrase[0] in token_set
    return contains_phrase(tokens, phrase)


def skills_in(text: str) -> list[str]:
    tokens = tokenize(text)
    token_set = set(tokens)
    return [name for name, phrase in SKILL_PHRASES if _contains(tokens, phrase, token_set)]
