# ruff: noqa: E501 (prose: a sentence stays on one line so it reads and diffs as written)
r"""The demo's readings, by competency code: a short lesson with a worked example, in the Markdown subset of
playlists/rendering.py; math between \( \) or \[ \] (KaTeX). CC BY 4.0, written for PLP."""

READINGS = {
    "6.RP.1": r"""## Ratios compare two quantities

A **ratio** says how much of one thing there is for every amount of another. In a class of 12 girls and
15 boys, the ratio of girls to boys is \(12 : 15\), read “12 to 15”. Order matters: boys to girls is \(15 : 12\).

### Worked example

A smoothie uses 2 cups of berries for every 3 cups of yogurt. How much yogurt goes with 8 cups of berries?

1. 8 cups of berries is \(8 \div 2 = 4\) batches.
2. Each batch has 3 cups of yogurt: \(4 \times 3 = 12\) cups.

So \(2 : 3\) and \(8 : 12\) are **equivalent ratios**: multiply both parts by the same number.

### Try it

Write the ratio of vowels to consonants in the word *ratio*. Then write an equivalent ratio.""",
    "6.RP.2": r"""## Unit rates: how much for one

A **unit rate** tells how much of one quantity there is for **1** of the other. Divide to find it:

\[\frac{150 \text{ miles}}{3 \text{ hours}} = 50 \text{ miles per hour}\]

### Worked example: the better buy

Store A sells 6 pencils for $3; store B sells 10 pencils for $4. Find the price of one pencil at each:

- A: \(\$3 \div 6 = \$0.50\) per pencil
- B: \(\$4 \div 10 = \$0.40\) per pencil

Store B is the better buy, even though its pack costs more.

Every ratio has two unit rates: $12 for 4 hours is \(\$3\) per hour, or \(\tfrac{1}{3}\) hour per dollar.""",
    "6.RP.3": r"""## Ratio tables and double number lines

A **ratio table** lists equivalent ratios. Each row is the first row multiplied by the same number.

- 2 cups of rice → 6 servings
- 4 cups of rice → 12 servings
- 5 cups of rice → 15 servings (1 cup makes \(6 \div 2 = 3\) servings, so 5 cups make \(5 \times 3\))

### Worked example: a double number line

A car goes 240 km in 4 hours. Draw two lines: hours 0 to 4 on top, km 0 to 240 below. Cut both into 4 equal
steps; each step is 1 hour and \(240 \div 4 = 60\) km. So 3 hours lines up with \(3 \times 60 = 180\) km.

Points from a ratio table lie on a straight line through zero: (1, 3), (2, 6), (3, 9) fit \(y = 3x\).""",
    "6.RP.4": r"""## Percent: a rate per 100

**Percent** means “per hundred”: \(30\% = \dfrac{30}{100} = 0.3\).

### Worked example

A $40 shirt is 30% off. The discount is \(0.3 \times \$40 = \$12\), so it costs \(\$40 - \$12 = \$28\).

### Finding the whole

18 is 30% of what number? \(0.3 \times n = 18\), so \(n = 18 \div 0.3 = 60\).""",
    "6.EE.1": r"""## Exponents: repeated multiplication

An **exponent** says how many times a base is multiplied by itself: \(2^5 = 2 \times 2 \times 2 \times 2 \times 2 = 32\).
It is not multiplication of the two numbers: \(3^4 = 81\), but \(3 \times 4 = 12\).

### Worked example: order of operations

Evaluate \(2 \times 3^2 + (1 + 4)^2\).

1. Parentheses: \(1 + 4 = 5\).
2. Exponents: \(3^2 = 9\) and \(5^2 = 25\).
3. Multiply: \(2 \times 9 = 18\).
4. Add: \(18 + 25 = 43\).

Fractions and decimals work the same way: \(\left(\tfrac{1}{2}\right)^3 = \tfrac{1}{8}\) and \(0.2^2 = 0.04\).""",
    "6.EE.2": r"""## Expressions with variables

A **variable** stands for a number. In \(9t + 5\), \(t\) could be a number of $9 tickets, and 5 the parking fee.
\(9t\) is a **term** with **coefficient** 9; 5 is a **constant**.

### Worked example: evaluate

Find \(3x + 4\) when \(x = 5\): replace \(x\) by 5, then follow the order of operations:
\(3 \times 5 + 4 = 15 + 4 = 19\).

### Worked example: write

“Seven less than a number \(n\)” is \(n - 7\) (not \(7 - n\)). “The product of 6 and the sum of \(p\) and 2”
is \(6(p + 2)\).

Formulas are expressions too: \(d = rt\) gives \(d = 12 \times 1.5 = 18\) miles at 12 mi/h for 1.5 hours.""",
    "6.EE.3": r"""## Equivalent expressions

Two expressions are **equivalent** when they have the same value for every value of the variable.

### Worked example: the distributive property

\[3(x + 4) = 3x + 12\]

Multiply each term inside the parentheses. Going the other way is **factoring**: \(8x + 12 = 4(2x + 3)\),
using the greatest common factor 4.

### Combining like terms

\(4x + 3 + 2x - 1 = 6x + 2\): add the \(x\) terms together and the constants together.

### Check with a number

At \(x = 2\): \(3(2 + 4) = 18\) and \(3 \cdot 2 + 12 = 18\). One check cannot prove equivalence, but one
mismatch disproves it: \(12 + k\) and \(12k\) differ at \(k = 1\).""",
    "6.EE.4": r"""## Solving one-step equations and inequalities

An equation is a balance: do the same thing to both sides to get the variable alone.

### Worked examples

- \(x + 7 = 15\): subtract 7 from both sides, \(x = 8\).
- \(4y = 36\): divide both sides by 4, \(y = 9\).
- \(\tfrac{2}{3}k = 10\): multiply both sides by \(\tfrac{3}{2}\), \(k = 15\).

Always check: \(8 + 7 = 15\). ✓

### Inequalities

\(x > 4\) has many solutions: 5, 10 and 4.5 all work, but 4 does not. “At most 30” is \(s \le 30\).""",
    "6.SP.1": r"""## Statistical questions

A **statistical question** expects answers that **vary**. “How many hours do students in our class sleep?”
is statistical; “How many hours did I sleep last night?” is not: it has one answer.

### Worked example

Turn “How many books did Leo read?” into a statistical question: ask many people, “How many books did the
students in our class read last month?” Now the answers form data to describe.""",
    "6.SP.2": r"""## Center, spread and shape

Describe data in three ways:

- **Center**: a typical value (median, mean, mode).
- **Spread**: how far the values range, e.g. range \(= \text{max} - \text{min}\).
- **Shape**: symmetric, or skewed toward a long tail; outliers lie far from the rest.

### Worked example

Data: 2, 3, 3, 4, 15. Median 3, mode 3, range \(15 - 2 = 13\); 15 is an outlier, so the data are skewed right.""",
    "6.SP.3": r"""## Mean, median and interquartile range

The **mean** shares the total equally:

\[\text{mean} = \frac{4 + 8 + 6 + 10 + 2}{5} = \frac{30}{5} = 6\]

The **median** is the middle value in order; with an even count, average the two middle values.

The **interquartile range** is \(Q_3 - Q_1\), the spread of the middle half.

### Worked example: which center?

Data 3, 4, 4, 5, 40: the mean is \(56 \div 5 = 11.2\), bigger than four of the values. The median, 4, describes a
typical value better when there is an outlier.""",
    "RL.6.1": """## Citing evidence from a story

When you say something about a story, show where the text says it. Quote the exact words and tell where
they are.

### Worked example

*Claim:* Mr. Ortiz was lonely before Priya's gift.

*Evidence:* He “lived alone on the corner” (line 2), and “He laughed for the first time that summer” (last line).

*Explanation:* Living alone and not laughing for months together suggest loneliness, which the gift eased.

An **inference** goes beyond what is stated, but it must rest on details like these.""",
    "RL.6.2": """## Finding a theme

A **theme** is a message about life that a story conveys. A topic is a word (“kindness”); a theme is a
sentence (“Small acts of kindness can connect people”).

### Worked example

1. Notice what changes: Mr. Ortiz laughs at the end.
2. Ask what caused it: Priya gives away the only tomato.
3. State the lesson in a sentence: small kindnesses can reach people who feel alone.

A summary retells events; a theme explains what they mean.""",
    "RI.6.8": """## Tracing and evaluating an argument

An argument has a **claim**, **reasons** and **evidence**. To evaluate it, ask of each reason: is it
supported, and is the evidence relevant and sound?

### Worked example

“Our school should start a walking club (claim). Students focus better after moving (reason): 7 of 10 in our
survey feel restless after lunch (evidence). Besides, my friends like the idea.”

The survey is relevant evidence; what the author's friends think is not. A strong argument also answers a
**counterclaim** (“Some say students need rest…”).""",
    "W.6.1": """## Writing an argument

1. **Claim**: a position someone could disagree with (“Our school should add ten minutes to lunch”).
2. **Reasons**, each with **evidence**: facts, data, quotations.
3. **Explain** how the evidence supports the reason.
4. **Conclude** by restating the claim and why it matters.

### Worked example paragraph

*One reason is that* rushed students eat less. *In our survey,* 12 of 25 students said they leave food
because time runs out. A hungry student cannot focus, *so* ten more minutes would help afternoon classes.

Use a formal style: your reader is judging your reasons, not your jokes.""",
    "W.7.1": """## Acknowledging other claims

Strong arguments name the other side and answer it.

### Worked example

*Counterclaim:* Some say uniforms limit self-expression.
*Rebuttal:* **However**, students still express themselves through clubs, art and writing, and uniforms reduce
pressure to buy expensive clothes.

Choose **credible** sources (research centers, public health agencies), and keep only evidence that bears
on your claim.""",
}
