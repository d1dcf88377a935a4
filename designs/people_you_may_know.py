"""People you may know: suggest connections that members will send, accept and value."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import User
from diagrams.onprem.database import Cassandra, JanusGraph, PostgreSQL
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka
from diagrams.programming.flowchart import Collate, Decision, Document, Sort

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  stage)
from mlsd.nodes import (FeatureStore, ModelRegistry, ModelServer,
                        NeuralNetwork, VectorIndex)

# Online path. The API, the filters, the ranker and the re-rank run on one CPU fleet, sized
# from their summed time per request.
page_api = Component("Network page API", Nginx, stage="serving", latency_ms=3, in_flight=8,
                     host="PYMK serving hosts",
                     note="Orchestrates a request and serialises the cards.")
exclusion_filters = Component("Exclusion filters", Decision, stage="serving", latency_ms=4,
                              in_flight=8, host="PYMK serving hosts",
                              note="Connections, pending invitations, blocks both ways, "
                                   "dismissals and privacy-excluded pairs.")
ranker = Component("Multi-task ranker", ModelServer, stage="serving", latency_ms=25,
                   in_flight=8, host="PYMK serving hosts",
                   note="DCN-v2 with send, accept, report and value heads over about 500 "
                        "candidates.")
diversity = Component("Diversity and caps", Sort, stage="serving", latency_ms=4, in_flight=8,
                      host="PYMK serving hosts",
                      note="Diversity of reasons and per-recipient weekly caps.")
candidate_store = Component("Candidate store", Cassandra, stage="serving", latency_ms=8,
                            calls=2, in_flight=64, items=350e6, bytes_per_item=6e3,
                            note="Top 500 ids and scores (12 bytes each) per monthly-active "
                                 "member; a request reads its stored and its fresh list.")
feature_store = Component("Feature store", FeatureStore, stage="data", latency_ms=20,
                          in_flight=64, items=175e9, bytes_per_item=32,
                          note="Mostly pair features for stored candidates (350 M members × "
                               "500), plus member rows and counters.")
member_ann = Component("Member ANN index", VectorIndex, stage="data", items=900e6,
                       bytes_per_item=32,
                       note="IVF-PQ over the GNN member embeddings, 32-byte codes.")

# Batch and streaming work, and the stores they read.
connection_graph = Component("Connection graph", JanusGraph, stage="data", items=70e9,
                             bytes_per_item=64, items_per_day=25e6,
                             note="Both adjacency directions plus metadata per connection.")
fresh_edges = Component("Fresh edges", Flink, stage="data", items_per_day=25e6, per_second=500,
                        note="Per new connection: read both neighbourhoods, write fresh "
                             "candidates for both members.")
candidate_job = Component("Daily candidate generation", Spark, stage="data",
                          items_per_day=350e6, per_second=50,
                          note="Up to 200 × 200 two-hop paths per member (40 k), at about "
                               "2 M path visits a second per core.")
pair_features = Component("Pair features job", Spark, stage="data", items_per_day=175e9,
                          per_second=50e3,
                          note="Daily rows for the 500 stored candidates of 350 M members: "
                               "mutual counts and Adamic-Adar come from the walks' path "
                               "counts, this job adds employer and school overlaps and writes "
                               "the rows, at about 50 k pairs a second per core.")
gnn = Component("GNN embeddings", NeuralNetwork, stage="model", hardware="GPU",
                items_per_day=900e6, per_second=5e3,
                note="Daily inference over every member with sampled neighbourhoods.")
gnn_training = Component("GNN training", NeuralNetwork, stage="model", hardware="GPU",
                         items_per_day=25e6 * 90 / 7, per_second=500,
                         note="Weekly on the 2.25 B edges of the last 90 days, counted per "
                              "day; each edge embeds both ends and a hard negative with "
                              "backward passes, about 500 edges a second per GPU.")
ranker_training = Component("Ranker training", NeuralNetwork, stage="model", hardware="GPU",
                            items_per_day=5e9 / 7, per_second=20e3,
                            note="Weekly on about 5 B down-sampled impression rows from 28 "
                                 "days, counted per day, at about 20 k rows a second per "
                                 "GPU.")
registry = Component("Model registry", ModelRegistry, stage="model")

case = CaseStudy(
    slug="people-you-may-know",
    title="People you may know",
    summary=("Connection suggestions on a professional network: graph and embedding candidate "
             "generation computed mostly in batch, refreshed by a stream of new edges, and a "
             "multi-task ranker that weighs invitations sent against invitations accepted "
             "and reported."),
    prompt=("A professional networking site with about 900 M members wants to help them grow "
            "useful networks. Design the *People you may know* feature, which suggests members "
            "to invite on the network page, after a new connection and in a weekly e-mail."),
    components=[page_api, candidate_store, exclusion_filters, feature_store, ranker, diversity,
                member_ann, connection_graph, fresh_edges, candidate_job, pair_features, gnn,
                gnn_training,
                ranker_training, registry],
    requirements=Requirements(
        objective=(
            "Grow a **valuable professional graph**: more accepted connections that lead to "
            "later interaction (messages, feed engagement, referrals), because members with "
            "richer networks return more often and get more from jobs and feed. The "
            "counterweight is the recipient: unwanted invitations annoy people and erode "
            "trust, so invitation spam is a first-class cost."),
        questions={
            "Is success an invitation sent or one accepted?": (
                "Accepted, and preferably one followed by interaction within 30 days. "
                "Invitations that are ignored or reported count against us."),
            "Which data may we use?": (
                "The connection graph, profiles (work history, education, skills, location), "
                "on-site interactions and address books imported with consent. Message "
                "content is out of bounds, and nothing may reveal who viewed whose profile."),
            "Which surfaces and volumes?": (
                "The network page (20 cards, more on scroll), a module after each accepted "
                "connection, onboarding, and a weekly e-mail; about 3 requests per daily "
                "member."),
            "How fresh must suggestions be?": (
                "Minutes. After a member accepts a new connection, that person's colleagues "
                "are the best suggestions, and already-connected or dismissed members must "
                "vanish at once."),
            "What about brand-new members?": (
                "Onboarding is the most valuable moment: a member with no edges needs "
                "suggestions from profile, company, school and contacts."),
        },
        functional=[
            "Return an ordered list of members for a viewer and surface, excluding existing "
            "connections, pending invitations, blocks and dismissed suggestions.",
            "Show why each suggestion appears (mutual connections, shared company or school).",
            "Reflect new connections, dismissals and blocks within minutes.",
            "Produce batch lists for the weekly e-mail from the same models.",
        ],
        non_functional={
            "scalability": (
                "900 M members and roughly 70 B connections, growing by about 25 M a day. "
                "Candidate generation has to scale with the graph, not with members squared."),
            "latency": (
                "**150 ms at p99** for the network page, including card hydration."),
            "throughput": (
                "About {average_qps} on average and {peak_qps} at peak, plus a "
                "nightly batch over about 350 M monthly-active members."),
            "privacy": (
                "Suggestions must not leak private signals (profile views, contact uploads, "
                "membership of sensitive groups); blocks apply both ways; GDPR deletion "
                "reaches graph snapshots and embeddings within 30 days."),
            "cost": (
                "Heavy graph work runs once a day in batch; online serving is CPU-only; GPUs "
                "are used for GNN training and inference and for the weekly ranker retrain."),
        },
        scale=Scale(daily_active_users=120e6, requests_per_user=3, peak_to_average=2.5,
                    items=900e6, embedding_dim=128, compressed_bytes_per_item=32,
                    log_bytes_per_request=2000, new_items_per_day=25e6,
                    bytes_per_new_item=64,
                    users="members", requests="PYMK requests", new_items="connection edges"),
        notes=(
            "Here the *items* are members (900 M embeddings) and the new content is "
            "connection edges, about 25 M a day at 64 bytes each (both adjacency directions "
            "plus metadata), or {connection_graph.growth} of graph growth a year on a graph "
            "of {connection_graph.size}. The raw embedding table, {embedding_index_raw}, "
            "becomes {member_ann_index.size} with 32-byte PQ codes. The bigger cost is "
            "friends-of-friends: a member with 500 connections whose connections each have "
            "500 has 250 k two-hop paths, so exhaustive expansion for every member is out; "
            "we sample hubs down to 200 neighbours, which caps a member at 40 k paths and the "
            "daily job at about 14 T path visits, or {daily_candidate_generation.hours} at "
            "2 M visits a second per core. Daily GNN inference over every member takes "
            "{gnn_embeddings.hours}. The weekly runs, counted as a daily average, add "
            "{gnn_training.hours} for GNN training on 90 days of edges and "
            "{ranker_training.hours} for the ranker on its sampled rows. Impression logs (20 cards at about 100 bytes) come to "
            "{request_logs_per_year} a year."),
    ),
    framing=Framing(
        ml_objective=(
            "For viewer *u* and candidate *v*, predict four probabilities given that *v* is "
            "shown to *u*: *u* sends an invitation, *v* accepts it within 14 days, *v* "
            "reports it as unwanted, and an accepted pair interacts within 30 days. Rank by "
            "the expected number of accepted connections, lightly boosted by that later "
            "interaction and penalised by report risk. "
            "Accepted connections are a good proxy for network value because both people "
            "consented; they diverge when invitations are accepted out of politeness and "
            "never used, or when the edge would have formed anyway through search."),
        input=(
            "Viewer id and surface; the viewer's graph neighbourhood, profile and recent "
            "activity; candidate lists from batch and streaming generation."),
        output=(
            "Up to 20 ranked members with a reason for each (mutual connections, shared "
            "company or school), plus model version and scores for logging."),
        category=(
            "**Link prediction** in a graph, served as candidate generation (graph walks, "
            "cohorts, embedding retrieval) followed by pointwise **multi-task ranking**."),
        alternatives={
            "Pure link prediction on graph snapshots": (
                "Predicting which edges appear next ignores exposure, acceptance and reports, "
                "and rewards edges that form anyway; we use it only to pretrain embeddings."),
            "Maximising invitations sent": (
                "Easy to move and harmful: it floods recipients, lowers acceptance and "
                "drives reports."),
            "Real-time GNN inference per request": (
                "Multi-hop aggregation over a 70 B-edge graph per request cannot fit 150 ms; "
                "daily embeddings plus fresh graph features get most of the benefit."),
        },
        notes=(
            "If pushed on *incrementality*: the ideal target is edges that form *because* of "
            "the suggestion. It cannot be observed per pair, but the long-term holdout in "
            "evaluation measures it in aggregate, and down-weighting pairs likely to connect "
            "anyway (for example, people who just messaged each other) is a cheap "
            "approximation."),
    ),
    data=DataPreparation(
        sources={
            "Connection graph": (
                "Edges with creation times in a sharded online graph store, with daily "
                "snapshots in the S3 lake as Parquet edge lists."),
            "Member profiles": (
                "Positions with dates, education with years, skills, industry and location, "
                "standardised to company, school and title ids, in PostgreSQL with "
                "change-data capture."),
            "Suggestion and invitation logs": (
                "Viewport impressions, clicks, dismissals, invitations sent, accepted, "
                "ignored, withdrawn or reported, through Kafka into the lake."),
            "Imported address books": (
                "Hashed e-mails and phone numbers uploaded with consent, in a restricted "
                "store readable only by candidate generation."),
            "Interaction aggregates": (
                "Daily counts of messages (no content) and feed interactions between pairs "
                "of members, used for the value label."),
        },
        labels=(
            "Labels are natural. Each viewport impression (at least half the card visible "
            "for one second) gets a **send** label within the session, an **accept** label "
            "once the recipient responds or 14 days pass (about 80% of acceptances come "
            "within 3 days), and a **report** label when the recipient answers *I don't know "
            "this person*. Accepted edges also get a **value** label: any interaction in the "
            "next 30 days. Noise: recipients who rarely log in never accept, which is not a "
            "signal about the pair (recipient activity is a feature); invitations sent from "
            "search or profiles are not PYMK labels but feed embedding pretraining."),
        features=[
            Feature("Mutual connections", "log1p(count) and Adamic-Adar score (sum of "
                    "1/log(degree) over mutuals)."),
            Feature("Shared employer", "Months of overlapping tenure at the same company, "
                    "bucketised; same-current-company flag."),
            Feature("Shared school", "Same-school flag and absolute graduation-year gap, "
                    "clipped at 10."),
            Feature("Profile similarity", "Cosine of title-and-skills text embeddings; "
                    "same-industry flag."),
            Feature("Location", "Same metro and same country flags."),
            Feature("Graph embedding affinity", "Dot product of 128-d GNN embeddings and the "
                    "candidate's rank in the viewer's ANN results."),
            Feature("Recipient propensity", "Beta-smoothed acceptance and report rates; "
                    "log1p(invitations received in the last 7 days)."),
            Feature("Degrees and tenure", "Log-bucketised connection counts and account age "
                    "for both members."),
            Feature("Triadic freshness", "Days since the newest mutual connection formed, "
                    "log-bucketised."),
            Feature("Contact match", "Whether the viewer's consented address book contains "
                    "the candidate."),
            Feature("Exposure history", "Times the candidate was shown to the viewer and days "
                    "since last shown."),
            Feature("Context", "One-hot surface and device; hour of day."),
        ],
        pipeline=[
            "Kafka consumers validate impression and invitation events and write hourly "
            "partitions.",
            "A daily Spark job snapshots the graph and computes pair features (mutuals, "
            "Adamic-Adar, overlaps) for candidate pairs only, {pair_features_job.hours} "
            "for the {feature_store.size} of rows.",
            "Training rows join impressions with features logged at serving time, then with "
            "labels when the 14-day window closes.",
            "Flink updates degree counts, recent-edge lists and invitation counters in the "
            "online feature store within seconds.",
            "Quality checks (row counts, label rates, null rates) gate each dataset.",
        ],
        privacy=(
            "Some signals would betray their source if used naively. Profile views are never "
            "features, since suggesting a viewer to the person they looked at reveals the "
            "visit. Address books are used only in the uploader's direction, members can "
            "opt out of contact-based discovery, and sensitive groups (health, religion, "
            "support groups) are excluded from cohort features. Blocks apply both ways, and "
            "deletions remove a member from snapshots, embeddings and candidate lists."),
        bias=(
            "**Rich-get-richer**: well-connected members at large employers collect most "
            "suggestions and invitations, while new members and members in smaller regions "
            "get few. Some groups receive disproportionate unwanted invitations, so report "
            "rates and recipient load are monitored per group. Training only on impressions "
            "the model chose narrows what it can learn, which a small exploration slice "
            "counters."),
        notes=(
            "Privacy is the question that separates answers here. A suggestion is itself a "
            "disclosure, so the rule I would state is: a signal may be used only if the "
            "viewer could plausibly have known it anyway."),
    ),
    model=ModelDevelopment(
        baseline=(
            "Friends-of-friends ranked by Adamic-Adar, minus existing edges and blocks. It is "
            "strong, explainable and the fallback when the model path fails."),
        candidates=[
            Candidate(
                "GBDT on graph and profile features",
                "Gradient-boosted trees predicting send and accept from hand-built features.",
                pros=["Strong on count features; quick to iterate."],
                cons=["Cannot learn from raw ids or embeddings; separate models per head."]),
            Candidate(
                "GNN member embeddings",
                "GraphSAGE-style aggregation over sampled neighbours and profile features, "
                "trained for link prediction on recent edges.",
                pros=["Finds candidates beyond two hops (former colleagues who share no "
                      "mutuals).",
                      "Inductive: new members embed from profile and first edges."],
                cons=["Costly training and daily inference on 900 M nodes.",
                      "Blind to exposure and recipient behaviour."]),
            Candidate(
                "Multi-task DCN-v2 ranker",
                "Shared cross and deep layers over all features and embeddings, with send, "
                "accept, report and value heads.",
                pros=["Heads share data, helping rare accept and report labels.",
                      "Learns feature crosses such as company overlap times seniority."],
                cons=["Needs careful calibration and debiasing of logged data."]),
        ],
        choice=(
            "**GNN embeddings** serve as a retrieval source and a ranker feature; the "
            "**multi-task DCN-v2** ranks (after a GBDT v1 proves the features). Score: "
            "`p(send) * p(accept | send) * (1 + 0.5 * p(value | accept)) - 3 * p(send) * "
            "p(report | send)`. The report penalty, tuned online, keeps the system from "
            "trading recipient annoyance for volume."),
        loss=(
            "GNN: sampled softmax over edges formed in the last 90 days, with in-batch "
            "negatives plus hard negatives from two-hop pairs that never connected despite "
            "being shown. Ranker: `BCE(send) + BCE(send and accept) + 2 * BCE(send and "
            "report) + 0.5 * BCE(send, accept and value)`. Each conditional head enters as a "
            "product (`p(send) * p(accept | send)`, `p(send) * p(report | send)`, and "
            "`p(send) * p(accept | send) * p(value | accept)`), so every head trains on all "
            "impressions rather than only on the sends or acceptances that select it."),
        training_data=(
            "The ranker uses 28 days of viewport impressions ending 14 days ago so labels "
            "have matured: roughly 80 B, since about 8 of the 20 cards per request are seen. "
            "Sends are about 1% of impressions and roughly half of sends are accepted, "
            "which makes about 14 M accepted PYMK connections a day, a bit over half of the "
            "25 M new edges; non-sends are down-sampled to 5% and re-weighted, leaving about "
            "5 B rows. Each "
            "viewer is capped at 200 impressions per day so power users do not dominate, and "
            "accounts flagged by integrity systems are removed. Splits are by time (train on "
            "the first 21 days, validate and test on the next 7) and by viewer."),
        notes=(
            "Suggestion lists are computed from the viewer's side but the outcome depends on "
            "the recipient, which is why recipient features and the report head matter. A "
            "natural extension is a recipient-side budget: treat each member's weekly "
            "capacity for invitations as a constraint and allocate it across viewers."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@500 of future edges",
                   "Share of all edges formed in the next 14 days, by any route, that were already in "
                   "the member's stored top 500; it bounds the whole funnel."),
            Metric("AUC and calibration per head",
                   "The score multiplies probabilities, so each head must rank well and be "
                   "calibrated, checked by surface and region."),
            Metric("nDCG@20 on logged impressions",
                   "Gains of 3 for accepted and 1 for sent but not accepted; reported pairs "
                   "get 0 and are tracked on their own, since negative gains break the "
                   "normalisation."),
        ],
        online=[
            Metric("Accepted PYMK connections per viewer per week (primary)",
                   "Counts value created for both sides, not clicks."),
            Metric("Acceptance and report rates of PYMK invitations",
                   "Recipient-side quality; a rising send rate with falling acceptance is a "
                   "warning, not a win."),
            Metric("Interaction within 30 days of connecting",
                   "Whether the new edges are real professional relationships."),
            Metric("Invitations received at p99 and p99.9",
                   "Guardrail against flooding popular members."),
        ],
        gap=(
            "Offline recall credits edges that would form anyway. Acceptance depends on a "
            "recipient who may sit in the other experiment arm, so per-viewer results carry "
            "network interference. Labels take 14 days, while novelty inflates the first "
            "week. And logged impressions come from the old ranker, so new candidate sources "
            "look worse offline than they are."),
        experiments=(
            "Ranker changes run as **A/B tests by viewer** for three weeks plus the 14-day "
            "acceptance window, with CUPED on pre-period connections. Changes that alter who "
            "receives invitations run as **graph-cluster randomised** tests: the graph is "
            "split into communities and whole clusters are assigned, so most invitations "
            "stay inside one arm; comparing with the viewer-level estimate shows the size of "
            "interference. Interleaving fits only send preference, since acceptance happens "
            "later and elsewhere. A 1% exploration slice with a shuffled top 20 supports "
            "off-policy (IPS) estimates, and a 1% **long-term holdout** without PYMK measures "
            "its total, incremental effect on network growth."),
        notes=(
            "A common trap: celebrating more invitations sent. I would report sends, "
            "acceptances and reports together in every readout."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Network page request", "online", [
                page_api,
                candidate_store,
                "Read the viewer's precomputed candidates (up to 500) and merge the fresh "
                "ones from recent edges.",
                exclusion_filters,
                "Filter connections, pending invitations, blocks, dismissals and "
                "privacy-excluded pairs.",
                feature_store,
                ranker,
                "Fetch features in one batch and score with the ranker.",
                diversity,
                "Re-rank for diversity of reasons and recipient caps; hydrate cards with "
                "mutual connections; log.",
            ]),
            Pipeline("Daily candidate generation", "batch", [
                candidate_job,
                "Run pruned two-hop walks (hubs sampled to 200 neighbours) for 350 M "
                "monthly-active members.",
                "Add employer and school cohorts with overlapping dates, contact matches "
                "and 200 GNN neighbours from the IVF-PQ index.",
                "Pre-score the union with a small GBDT and keep the top 500 per member in "
                "Cassandra.",
            ]),
            Pipeline("Fresh edges", "streaming", [
                fresh_edges,
                "On a new connection, add the new contact's top connections as candidates for "
                "both members and drop the pair from each other's lists.",
                "Apply dismissals and blocks to the candidate store within seconds.",
            ]),
            Pipeline("Training and embeddings", "batch", [
                gnn_training,
                "Retrain the GNN weekly on the last 90 days of edges.",
                gnn,
                "Run inference daily over every member, new members included.",
                ranker_training,
                "Retrain the ranker weekly on matured impressions; promote through the "
                "registry after offline and shadow checks.",
            ]),
        ],
        latency_path=[page_api, candidate_store, exclusion_filters, feature_store, ranker,
                      diversity, ("Card hydration", 15), ("Network", 5)],
        latency_target_ms=150,
        placement=(
            "Cloud. Batch runs on a Spark cluster, with GPUs for the GNN and ranker training. Online serving is "
            "CPU: the API, exclusion filters, ranker and re-rank share one fleet of "
            "{pymk_serving_hosts.replicas} at peak, sized from their summed time per request, "
            "not from the ranker's alone. The median request takes {latency_total} against "
            "the {latency_target} p99 target, leaving room for the tails of the feature "
            "fetch. The candidate store holds 350 M lists of 500 ids and scores "
            "({candidate_store.size}). A member with no list yet (joined since the last daily "
            "run) gets company, school and contact candidates computed on request; the "
            "inductive GNN embeds them from profile fields and first edges in the next daily "
            "inference, and the next candidate run gives them a full list."),
        compression=(
            "32-byte PQ codes shrink the embedding index from {embedding_index_raw} to "
            "{member_ann_index.size}, a few "
            "IVF-PQ shards instead of dozens; exact re-scoring of the top 1,000 recovers most "
            "recall. Ranker embedding tables are stored in fp16, and the batch pre-scorer is "
            "a small GBDT distilled from the ranker."),
        rollout=(
            "Shadow scoring for 48 hours, then a 1% canary with automatic rollback on latency, "
            "errors or score shifts, then the experiment, then ramp. Candidate lists are "
            "versioned, so yesterday's stays readable for rollback."),
        notes=(
            "Why precompute? Two-hop expansion costs too much per request, and most members' "
            "neighbourhoods change slowly. The stream covers the moments that matter, such as "
            "just after a new connection, when the best suggestions change at once."),
    ),
    monitoring=Monitoring(
        operational=[
            "Latency per step, error rates and fallback share.",
            "Batch completion time and age of each member's list; stream lag.",
            "Empty or short lists, especially for new members and small regions.",
            "Candidate-store read latency and the share of requests served without a "
            "precomputed list.",
        ],
        ml_signals=[
            "Score drift and calibration of send, accept and report heads by surface and "
            "region.",
            "Mix of candidate sources among impressions and among accepted invitations.",
            "Feature nulls and skew between logged and recomputed features.",
            "Concentration: share of suggestions and invitations going to the top 1% of "
            "members by degree.",
            "Embedding stability: overlap of each sampled member's top GNN neighbours between "
            "daily inference runs, to catch a broken model or graph snapshot.",
        ],
        alerts=[
            "Page if p99 exceeds 150 ms for 10 minutes or stream lag exceeds 5 minutes.",
            "Page if the batch misses its window; members are served yesterday's lists.",
            "Ticket when acceptance falls or reports rise by 10% day on day in a region.",
        ],
        retraining=(
            "Candidates refresh **daily** with streaming updates in between. The GNN retrains "
            "**weekly** on the latest 90 days of edges, with daily inference so new members "
            "get vectors. The ranker retrains **weekly** on matured labels, and early when "
            "accept-head calibration drifts, when reports rise, or after product changes to "
            "the invitation flow that shift behaviour."),
        failure_modes={
            "Batch job fails or is late": (
                "Serve yesterday's lists merged with fresh-edge candidates; fall back to "
                "Adamic-Adar for members with no list."),
            "Fake accounts use PYMK to harvest connections": (
                "Integrity scores filter senders and candidates, with send rate limits."),
            "Suggesting someone the member wants to avoid": (
                "Blocks and dismissals apply within seconds and permanently; contact-based "
                "discovery can be switched off."),
            "Popular members flooded with invitations": (
                "Per-recipient weekly caps and a ranker feature on invitations received."),
            "New members see empty lists": (
                "Contacts, cohorts and inductive GNN embeddings from profile fields."),
        },
        notes=(
            "The signal I would watch first is the report rate by recipient group: it catches "
            "spammy behaviour, privacy complaints and bias problems earlier than growth "
            "metrics move."),
    ),
)


@case.diagram("System architecture")
def architecture():
    member = User("Member")
    with stage("data", "Data and batch candidates"):
        graph = connection_graph()
        profiles = PostgreSQL("Profiles")
        events = Kafka("Member events")
        lake = S3("Data lake")
        features = feature_store()
        stream = fresh_edges()
        candgen = candidate_job()
        pairs = pair_features()
        ann = member_ann()
    with stage("model", "Training"):
        gnn_train = gnn_training()
        embeddings = gnn()
        ranker_train = ranker_training()
        models = registry()
    with stage("serving", "Online serving"):
        api = page_api()
        store = candidate_store()
        filters = exclusion_filters()
        scorer = ranker()
        rerank = diversity()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        dash = Grafana("Dashboards")

    [graph, profiles, events] >> lake
    lake >> [gnn_train, ranker_train]
    candgen >> Edge(label="pairs") >> pairs >> features
    gnn_train >> Edge(label="weekly") >> embeddings
    lake >> Edge(style="dashed") >> embeddings
    [gnn_train, ranker_train] >> models
    embeddings >> Edge(label="vectors") >> ann
    [graph, ann] >> candgen
    candgen >> Edge(label="top 500") >> store
    events >> stream >> store
    member >> api >> store
    store >> filters >> scorer >> rerank
    features >> Edge(style="dashed") >> scorer
    models >> Edge(label="ranker") >> scorer
    rerank >> Edge(label="cards", constraint="false") >> api
    rerank >> metrics >> Edge(minlen="0") >> dash
    member >> Edge(label="actions and impressions", constraint="false") >> events


@case.diagram("Candidate funnel", stage="serving")
def funnel():
    with stage("data", "Daily batch: ~1,500 per member"):
        walks = Collate("Two-hop walks")
        cohorts = Document("Company and school")
        contacts = Document("Contact matches")
        ann = member_ann()
        prescore = Sort("GBDT pre-score")
    with stage("data", "Within seconds"):
        fresh = fresh_edges()
    with stage("serving", "Per request: 500 to 20"):
        store = candidate_store()
        filters = exclusion_filters()
        scorer = ranker()
        caps = diversity()
    cards = Document("20 cards")
    [walks, cohorts, contacts, ann] >> prescore >> Edge(label="top 500") >> store
    fresh >> Edge(label="fresh list") >> store
    store >> filters >> scorer >> caps >> cards


@case.diagram("Multi-task ranker", stage="model", direction="TB")
def ranker_model():
    with stage("data", "Inputs"):
        viewer = FeatureStore("Viewer features")
        pair = FeatureStore("Pair and graph")
        candidate = FeatureStore("Candidate features")
        emb = gnn()
    with stage("model", "DCN-v2"):
        cross = NeuralNetwork("Cross layers")
        deep = NeuralNetwork("Deep layers")
        send = NeuralNetwork("p(send)")
        accept = NeuralNetwork("p(accept | send)")
        report = NeuralNetwork("p(report | send)")
        value = NeuralNetwork("p(value | accept)")
    with stage("serving", "Ranking"):
        score = Sort("Combined score")
    [viewer, pair, candidate, emb] >> cross
    cross >> deep
    deep >> [send, accept, report, value]
    [send, accept, report, value] >> score
