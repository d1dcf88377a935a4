"""Harmful content: score every new post across text, images and video, and act on what breaks policy."""
from diagrams import Edge
from diagrams.aws.general import Forums, Users
from diagrams.aws.ml import Textract, Transcribe
from diagrams.generic.network import Firewall
from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka
from diagrams.programming.flowchart import InputOutput
from diagrams.programming.language import Python

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature,
                  Framing, Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale,
                  Serving, parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, LabelingQueue, ModelRegistry,
                        ModelServer, NeuralNetwork, VectorIndex)

# Declared once: drawn in the diagrams, sized in the capacity table, timed on the latency path.
# Media per day, from 480 M posts: 15% carry a video (72 M) and about 290 M images are attached.
# The content-hash cache answers reshared media, leaving about 200 M unique images and 50 M
# unique videos to encode; a video gives about 20 frames at scene changes (64 at most).

# Upload screen: online, on the posting path.
upload_api = Component("Upload API", Nginx, stage="serving", latency_ms=8, in_flight=64,
                       host="Upload frontends", note="Receives the post, fetches thumbnails.")
media_hasher = Component("Media hasher", Server, stage="serving", latency_ms=10, in_flight=64,
                         host="Upload frontends",
                         note="Exact and perceptual hashes of each media file.")
hash_bank = Component("Hash bank", Redis, stage="serving", latency_ms=2, in_flight=32,
                      host="Bank lookup nodes", items=400e6, bytes_per_item=64,
                      note="Exact and perceptual hashes of banked violating media; perceptual "
                           "hashes are split into chunks so a Hamming-distance match starts "
                           "from exact chunk lookups.")
violation_bank = Component("Violation bank", VectorIndex, stage="serving", latency_ms=8,
                           in_flight=32, host="Bank lookup nodes", items=400e6,
                           bytes_per_item=32,
                           note="IVF-PQ over 32-byte codes, in memory on every lookup node.")
upload_screen = Component("Upload screen", ModelServer, stage="serving", latency_ms=40,
                          in_flight=16, hardware="GPU",
                          note="INT8 student of text and images, 16 posts batched per GPU; "
                               "it also emits each image's 256-d bank embedding.")
policy_engine = Component("Policy engine", Server, stage="serving", latency_ms=3, calls=2,
                          in_flight=64,
                          note="Maps scores to actions; called by the upload screen and again "
                               "by full scoring.")

# Full scoring: streaming, each unique media file encoded once (GPU per-second rates batched).
text_encoder = Component("Text encoder", EmbeddingService, stage="serving", hardware="GPU",
                         items_per_day=480e6, per_second=2000,
                         note="Post text and OCR text, up to 256 tokens.")
image_encoder = Component("Image encoder", EmbeddingService, stage="serving", hardware="GPU",
                          items_per_day=1.2e9, per_second=500,
                          note="200 M unique images and 1 B video frames a day at 336x336.")
ocr = Component("OCR", Textract, stage="serving", hardware="GPU", items_per_day=360e6,
                per_second=300, note="The three images or frames in ten that contain text.")
audio_encoder = Component("Audio encoder", EmbeddingService, stage="serving", hardware="GPU",
                          items_per_day=50e6, per_second=100,
                          note="Log-mel audio of the 50 M unique videos a day.")
speech_recognition = Component(
    "Speech recognition", Transcribe, stage="serving", hardware="GPU", items_per_day=10e6,
    per_second=5,
    note="One unique video in five (speech and enough reach or risk), about a minute "
         "each, at 300x real time.")
fusion_scorer = Component("Fusion scorer", ModelServer, stage="serving", hardware="GPU",
                          items_per_day=600e6, per_second=2000,
                          note="480 M new posts plus about 120 M re-scores a day.")
recent_media_index = Component(
    "Recent-media index", VectorIndex, stage="serving", items=7.5e9, bytes_per_item=32,
    note="30 days of unique media embeddings (about 250 M a day) as PQ codes, for sweeps "
         "when new media is banked.")
review_queue = Component("Review queue", LabelingQueue, stage="data", items_per_day=3e6,
                         bytes_per_item=2e3,
                         note="About 3 M decisions a day by 20 k reviewers, each kept with its "
                              "categories, policy version, reviewer, queue and time spent.")

# Training: labels joined daily, the fusion model and student weekly, the encoders quarterly.
# A day's examples: 3 M reviews and 50 k sampled posts (about half of them violating, so
# about 1.5 M positives) plus easy negatives at about 20 per positive: roughly 33 M. The
# six-month window holds about 182 x 33 M = 6 B examples.
training_tables = Component(
    "Training tables", Spark, stage="data", items_per_day=33e6, per_second=5e3,
    note="Daily: joins the day's labelled examples (reviews, the random sample, about 30 M "
         "down-sampled easy negatives) to the snapshot each was scored on, then refits "
         "calibration. Items are examples, per CPU.")
fusion_training = Component(
    "Fusion training", NeuralNetwork, stage="model", hardware="GPU", items_per_day=6e9 / 7,
    per_second=700,  # forward and backward: about a third of the fusion scorer's 2,000 a second
    note="Weekly: trunk and heads over the six-month window (about 6 B examples of cached "
         "embeddings), shown as a daily average.")
student_distillation = Component(
    "Student distillation", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=350e6 / 7, per_second=1000,
    note="Weekly: the text-and-image student learns the teacher's scores and bank embedding "
         "from raw pixels on about 350 M score-stratified posts; shown as a daily average.")
encoder_finetune = Component(
    "Encoder fine-tuning", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=550e6 / 91, per_second=300,
    note="Quarterly: text, image and audio encoders on the six months of reviewed and "
         "sampled posts (about 550 M); shown as a daily average.")
media_reencode = Component(
    "Media re-encode", Spark, stage="model", hardware="GPU", items_per_day=1.8e9 / 91,
    per_second=500,
    note="Quarterly, after fine-tuning: the 400 M banked items and about 1.4 B images and "
         "frames of the labelled posts at the image encoder's rate; the 30-day recent-media "
         "index refills within its window instead. Shown as a daily average.")

case = CaseStudy(
    slug="harmful-content",
    title="Harmful content detection",
    components=[upload_api, media_hasher, hash_bank, violation_bank, upload_screen,
                policy_engine, text_encoder, image_encoder, ocr, audio_encoder,
                speech_recognition, fusion_scorer, recent_media_index, review_queue,
                training_tables, fusion_training, student_distillation, encoder_finetune,
                media_reencode],
    summary=("A two-speed integrity system: a fast upload screen (hash banks plus a distilled "
             "model) and a multimodal, multi-task scorer whose calibrated per-policy "
             "probabilities drive removal, demotion and a review queue ranked by expected harm."),
    prompt=("A social network with hundreds of millions of daily users lets people post text, "
            "photos and videos. Design the system that detects posts breaking the community "
            "policies (violence, hate speech, nudity, self-harm, terrorism and so on) and decides "
            "what to do with them, at the platform's scale and in many languages."),
    requirements=Requirements(
        objective=(
            "Lower how much harmful content people actually see, and act on what slips through "
            "before it spreads, while wrongly removing as little legitimate speech as possible "
            "and keeping human review within its capacity. Harm scales with reach and severity: "
            "a graphic video seen by a million people matters far more than a rude reply seen by "
            "three, so the business measure is view-weighted (*prevalence*), not a count of posts."),
        questions={
            "Which harms are in scope?": (
                "About ten policy categories: graphic violence, hate speech, harassment, adult "
                "nudity, self-harm, terrorism, child safety, regulated goods, scams and spam. "
                "Misinformation goes to fact-checkers and is out of scope; child abuse imagery "
                "is matched against industry hash lists and follows a legal reporting process."),
            "What can the system do with a post?": (
                "Remove it, reduce its distribution in ranking, put it behind a warning screen, "
                "or send it to human review. Account penalties are decided by a separate strike "
                "system that consumes these decisions."),
            "Before or after publication?": (
                "Both. Known-bad media and near-certain violations are blocked at upload; "
                "everything else is published and scored again within a minute (long videos "
                "within ten)."),
            "Which languages and surfaces?": (
                "Over 100 languages, the top 20 covering about 85% of posts; feed posts, groups "
                "and comments. End-to-end encrypted messages are out of scope."),
            "How much review capacity is there?": (
                "About 20k reviewers, roughly 3 M decisions a day across all queues, so the model "
                "has to choose which posts deserve a human."),
        },
        functional=[
            "Score every new post for each policy category, using its text, images, video "
            "frames, audio and context.",
            "Block at upload anything matching a bank of known violating media or scoring above "
            "a near-certain threshold.",
            "Map calibrated scores to per-category actions (remove, demote, warning screen, "
            "review) set by policy teams, without a model release.",
            "Re-score posts when new evidence arrives: report bursts, fast-growing reach, new "
            "bank entries or a new model.",
            "Tell the author which policy was applied and support appeals; overturned decisions "
            "restore the post and become labels.",
        ],
        non_functional={
            "scalability": (
                "About 480 M new posts a day from 800 M daily users ({average_qps} on average, "
                "{peak_qps} at peak), plus comments through a cheaper text-only path; crises can "
                "multiply re-uploads of one video within hours."),
            "latency": (
                "The upload screen adds at most {latency_target} at p99 to posting. Full multimodal scores "
                "arrive within 60 s for text and images and 10 min for long videos."),
            "throughput": (
                "About {peak_qps} through the upload screen at peak, 15% of them videos, and "
                "about 3 M review decisions a day."),
            "privacy": (
                "Only content covered by the platform's terms is processed; reviewers see the "
                "minimum needed; removed content is retained for appeals and legal duties for a "
                "bounded period; user deletions propagate to training data."),
            "cost": (
                "GPU encoders dominate: images and frames keep {image_encoder.machines} busy on "
                "average, speech recognition {speech_recognition.machines} and OCR "
                "{ocr.machines}; with the text, audio and fusion models the pool keeps more "
                "GPUs busy around the clock than the upload screen needs at its peak "
                "({upload_screen.replicas}). Each unique piece of media is encoded once and "
                "its embeddings are shared by every category head, and speech recognition runs "
                "only when a video has speech and enough reach or risk."),
        },
        scale=Scale(
            daily_active_users=800e6,
            requests_per_user=0.6,  # new posts per daily user
            peak_to_average=3.0,
            items=400e6,  # banked violating media (own and industry-shared)
            embedding_dim=256,
            compressed_bytes_per_item=32,  # PQ code per banked item
            log_bytes_per_request=1_500,  # decision log: scores per category, model, action
            new_items_per_day=480e6,  # posts whose embeddings and hashes are stored
            bytes_per_new_item=2_000,  # fused embedding, hashes and scores per post
        ),
        notes=(
            "The estimates set the shape of the system. {peak_qps} at peak through a 40 ms "
            "screen model with 16 posts batched per GPU needs {upload_screen.replicas}. The "
            "bank of 400 M known violating items at 256 float32 dimensions is "
            "{embedding_index_raw} raw but {violation_bank.size} with 32-byte PQ codes, small "
            "enough to replicate in memory in every region so the upload check never crosses "
            "an ocean. The asynchronous encoder pool is sized per day, not per request: "
            "{image_encoder.hours} for images and frames, {speech_recognition.hours} for "
            "speech, {ocr.hours} for OCR. Decision logs ({request_logs_per_year} a year) and "
            "per-post embeddings ({new_content_per_year} a year) are kept with a time-to-live, since "
            "embeddings older than the training window are only useful for retroactive sweeps."),
    ),
    framing=Framing(
        ml_objective=(
            "For each post and each policy category, predict the probability that a trained "
            "reviewer applying the current policy would judge the post violating. Reviewer "
            "judgement is the best scalable stand-in for harm, but it diverges from the goal in "
            "three ways: harm depends on reach and audience, which the model does not see (so "
            "review is ranked by *expected harm* = probability × predicted views × severity, "
            "outside the model); labels carry reviewer error and a policy version; and context "
            "off the platform, such as who is being targeted, is often invisible."),
        input=(
            "A post: text and hashtags, up to ten images, a video's sampled frames and audio, "
            "text read by OCR and speech recognition, the author's history, the audience and "
            "surface, and later its reports and reach."),
        output=(
            "A calibrated probability per policy category plus a severity score, logged with the "
            "model version; a separate policy engine turns them into actions."),
        category=(
            "Multi-label, multimodal classification with one head per category, near-duplicate "
            "retrieval against banks of known violations, and a ranking of the review queue."),
        alternatives={
            "One binary harmful/benign classifier": (
                "Categories differ in base rate, action and threshold, and users and appeals "
                "need the policy reason; one score mixes them all."),
            "A model per category and modality": (
                "Dozens of models to run and keep in step, and none sees that a harmless image "
                "plus a harmless caption can form a hateful meme."),
            "Only user reports and human review": (
                "Reactive: content is seen before anyone reports it, reports skew to contested "
                "topics, and review capacity is far below the post volume."),
            "A large vision-language model prompted with the policy": (
                "Orders of magnitude too expensive at {peak_qps}, slow, hard to calibrate and "
                "open to prompt injection by posters; it is used offline to assist labelling "
                "and reviewers instead."),
        },
        notes=(
            "Separating *scoring* from *enforcement* is the key framing choice: the model "
            "outputs calibrated probabilities and knows nothing about thresholds, while a policy "
            "engine owned by policy teams maps them to actions per category and market. "
            "Thresholds can then change within hours (during an election or a crisis) without "
            "retraining, and every action can cite its category and score."),
    ),
    data=DataPreparation(
        sources={
            "Post store": (
                "Text, media references, author, audience, surface and edit history in a "
                "sharded key-value store."),
            "Media store": (
                "Images and videos in blob storage keyed by content hash, with derived OCR "
                "text, transcripts and embeddings."),
            "Event stream": (
                "Views, shares, reports and comments in Kafka, aggregated into the online "
                "feature store."),
            "Review and appeal decisions": (
                "Verdicts per category with policy version, reviewer, queue and time spent, "
                "and appeal outcomes, in the review tool's database."),
            "Violation banks": (
                "Perceptual hashes and embeddings of confirmed violating media, the platform's "
                "own plus industry-shared lists, in a replicated index."),
        },
        labels=(
            "Reviewer decisions are the main label, about 3 M a day, but they are "
            "**selection-biased**: reviewers only see what reports or earlier models sent them, "
            "so the model's blind spots never get labelled. Two unbiased streams correct this: "
            "experts label a daily view-weighted random sample of about 50k posts on every "
            "category (for prevalence and evaluation), and 1% of review capacity goes to random "
            "low-score posts (exploration). Reports are weak labels: often wrong, sometimes "
            "coordinated, so they are features, not targets. Appeals arrive days to weeks later "
            "and turn false positives into clean negatives. Agreement varies by category, high "
            "for nudity and much lower for hate speech and harassment, so a sample is double "
            "reviewed, disagreements go to policy experts, and a category a reviewer did not "
            "assess is marked *unknown* rather than negative."),
        features=[
            Feature("Post and OCR text",
                    "Multilingual subword tokens, caption first then OCR text with a segment id, "
                    "up to 256 tokens, encoded by a multilingual transformer."),
            Feature("Images",
                    "Each image (up to ten) at 336×336 through a shared vision transformer; one "
                    "768-d embedding per image, cached by content hash, one token each."),
            Feature("Video",
                    "Frames at scene changes (at most 64) through the image encoder, pooled by "
                    "temporal attention; log-mel audio through an audio encoder; transcript as text."),
            Feature("Bank similarity",
                    "Top-5 cosine similarities to banked violating embeddings (the media "
                    "embedding projected to 256-d) and the minimum "
                    "perceptual-hash Hamming distance, bucketised."),
            Feature("Author history",
                    "Log account age, decayed counts of confirmed violations per category, log "
                    "follower count, share of past posts removed."),
            Feature("Audience and surface",
                    "One-hot surface (feed, group, marketplace) and audience (public, friends, "
                    "group), log audience size, language and country embeddings."),
            Feature("Report signals",
                    "Report rate per 1k views with a beta prior, and report count weighted by "
                    "each reporter's past accuracy; re-scoring only."),
            Feature("Spread signals",
                    "Log views and shares in the last hour and their growth rate; re-scoring and "
                    "review priority only."),
            Feature("Link reputation",
                    "Embedding of each linked domain and its smoothed historical violation rate."),
        ],
        pipeline=[
            "Hash every media file (exact and perceptual) on upload; encode each unique file "
            "once and cache its embeddings by hash.",
            "Run OCR on images and frames that contain text, and speech recognition on videos "
            "with detected speech.",
            "Write embeddings, hashes and scores to the feature store as point-in-time "
            "snapshots keyed by post and version, since posts can be edited.",
            "Join each label to the snapshot the reviewer saw, using only signals from before "
            "the decision so nothing leaks from the action itself.",
            "Cluster near-duplicates and cap each cluster's weight so one viral meme does not "
            "dominate training.",
            "Build daily training tables with per-category label masks and policy versions, "
            "split by time.",
        ],
        privacy=(
            "Only content the terms allow is processed, never encrypted messages. Reviewers get "
            "the minimum context, graphic media is blurred or greyscale until opened, and access "
            "is scoped by market and role. Removed content is kept for appeals and legal duties "
            "for a bounded period, then deleted; posts deleted by users leave the feature store "
            "and future training tables. The system infers no sensitive attributes (religion, "
            "ethnicity, orientation) about authors; EU decisions carry a statement of reasons."),
        bias=(
            "Text classifiers tend to over-flag dialects such as African-American English and "
            "reclaimed slurs, and learn identity words (gay, Muslim, Jewish) as signals of "
            "hate because attacks mention them; counter-speech and news that quote hate get "
            "caught; low-resource languages get both lower recall and more false positives. "
            "I slice metrics by language and by identity-term presence (from term lists, not "
            "user attributes), add counterfactual examples that swap identity terms, mine "
            "counter-speech and news as hard negatives, and calibrate per language on a "
            "score-stratified sample."),
        notes=(
            "The random-sample and exploration streams are what keep this system honest: "
            "without them every label comes from what the current model already flags, and a "
            "blind spot (a new slur, a new meme format) stays invisible in both training and "
            "evaluation."),
    ),
    model=ModelDevelopment(
        baseline=(
            "Hash matching against the banks, keyword lists, and off-the-shelf single-modality "
            "classifiers (text toxicity, image nudity) with hand-set thresholds. It catches "
            "known media and obvious nudity, but misses context, memes, evasion and most "
            "languages."),
        candidates=[
            Candidate(
                "Late fusion of unimodal classifiers",
                "A classifier per modality and category; a gradient-boosted tree combines their "
                "scores with author and context features.",
                pros=["Modular: teams own modalities and can ship independently.",
                      "The tree combiner is cheap to retrain and handles tabular signals well."],
                cons=["Cannot model cross-modal meaning such as a caption that turns a benign "
                      "image hateful.",
                      "Many models to serve, monitor and keep calibrated."]),
            Candidate(
                "Fusion transformer over shared embeddings",
                "Frozen per-modality encoders produce embeddings once per media file; a small "
                "transformer attends over modality, author and context tokens and feeds one "
                "head per category.",
                pros=["Learns cross-modal interactions; rare categories borrow from common "
                      "ones through the shared trunk.",
                      "Cheap to retrain weekly; a missing modality is simply a masked token."],
                cons=["Bounded by encoder quality; an encoder upgrade forces re-encoding and "
                      "retraining.",
                      "Harder to explain than per-modality scores."]),
            Candidate(
                "End-to-end fine-tuned multimodal model",
                "All encoders and the fusion layers trained jointly on integrity labels.",
                pros=["Highest accuracy ceiling on subtle content."],
                cons=["Several times the training and serving cost.",
                      "Every retrain changes embeddings that other systems depend on."]),
        ],
        choice=(
            "The **fusion transformer over shared embeddings**, with about ten category heads "
            "and a severity head. The encoders are fine-tuned on integrity data once a quarter; "
            "the fusion trunk and heads retrain weekly. A distilled student of text and image "
            "only, about a tenth of the size, runs in the upload screen beside the hash bank, "
            "and its 256-d media embedding is then looked up in the embedding bank, the path "
            "for known media and their near-copies. A vision-language "
            "model helps offline: it pre-labels, drafts rationales for reviewers and mines "
            "candidates for new policies."),
        loss=(
            "Sum over categories of binary cross-entropy, masked where the label is *unknown*, "
            "weighted per category by severity and inverse frequency, with soft targets where "
            "several reviewers disagreed. Down-sampled negatives carry inverse-rate weights so "
            "scores stay calibrated, and Platt scaling (a slope and an offset on the logit, "
            "since base rates differ by language) per head and language group fixes what "
            "remains, fitted on an expert-labelled sample stratified by score: at "
            "0.01-0.5% prevalence the 50k random posts a day hold only about 5 to 250 positives per category, "
            "before any split by language. The student is trained on the teacher's "
            "probabilities plus the hard labels, and to reproduce the teacher's 256-d bank "
            "embedding so its lookups land in the bank's space."),
        training_data=(
            "Positives: reviewer-confirmed violations per category from the last six months "
            "under the current policy version, plus bank matches capped per near-duplicate "
            "cluster. Hard negatives: posts reviewed and kept (reported or flagged, so they look "
            "suspicious), appeal overturns, counter-speech and news. Easy negatives: random "
            "unreviewed posts, contaminated by only 0.1-1% violations. Prevalence is 0.01-0.5% "
            "per category, so easy negatives are down-sampled to about 20 per positive and rare "
            "categories are oversampled. Splits are by time within the six-month window (train "
            "on weeks 1-24, validate on 25, test on 26), tested on both review labels and "
            "the random sample."),
        notes=(
            "For a new harm trend the fast path is a linear probe on the frozen embeddings: a "
            "few hundred labelled examples give a usable head within a day, long before the next "
            "weekly retrain, and confirmed examples go straight into the banks."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("PR-AUC per category",
                   "Positives are rare and vary by category, so precision-recall curves show "
                   "the trade-off better than ROC."),
            Metric("Recall at the auto-action precision",
                   "Recall at the threshold where precision reaches the policy's bar for acting "
                   "without review (e.g. 97%), by category and language."),
            Metric("View-weighted recall",
                   "Recall on the random sample, each sampled post counted once: posts are "
                   "drawn in proportion to their views, so this already weights by reach "
                   "(weighting again would count views twice). The offline quantity closest "
                   "to prevalence."),
            Metric("Calibration error per head",
                   "Thresholds and expected-harm ranking assume calibrated probabilities, per "
                   "language too."),
        ],
        online=[
            Metric("Prevalence",
                   "Share of views landing on violating content, from the labelled random "
                   "sample of views: the business goal itself."),
            Metric("Proactive rate",
                   "Share of actioned content found by the system before any user report."),
            Metric("Appeal overturn rate",
                   "Restored posts per 1,000 actions, the visible cost of false positives, per "
                   "category and market."),
            Metric("Review yield",
                   "Share of model-queued reviews that find a violation; measures how well "
                   "scarce reviewer time is spent."),
        ],
        gap=(
            "Review labels come from what reports and earlier models surfaced, so offline test "
            "sets under-represent exactly the blind spots a new model might fix or create. "
            "Prevalence is view-weighted, so gains on low-reach posts barely move it. Adversaries "
            "adapt within days of a change, so a gain on last month's data decays. Enforcement "
            "changes the data: removed posts collect no more reports and demoted ones fewer "
            "views. And review capacity caps the effect: better scores beyond capacity change "
            "nothing unless thresholds move."),
        experiments=(
            "Knowingly leaving violating content up for a control group is not acceptable, so "
            "high-confidence removals apply to everyone. **Shadow**: a candidate scores all "
            "traffic for a week; experts label a stratified sample of disagreements, which "
            "estimates the precision and recall difference cheaply. **A/B on the uncertain "
            "band**: demotion strength and review thresholds for mid-range scores are "
            "randomised by viewer, with prevalence per arm as the goal and engagement, posting "
            "rate and appeals as guardrails, for at least two weeks to cover weekly cycles. "
            "**Off-policy**: review routing logs its propensities (including exploration), so "
            "a new queue-ranking policy can be estimated with inverse propensity scoring before "
            "it runs. **Power**: prevalence near 0.1% of views needs about 400k labelled views "
            "per arm to see a 20% relative change with uniform sampling; sampling stratified by "
            "score cuts that several-fold."),
        notes=(
            "When an interviewer asks for one number, it is prevalence per category with its "
            "confidence interval, guarded by the appeal overturn rate: the first says whether "
            "people see less harm, the second whether we got there by removing legitimate "
            "speech."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Upload screen", "online", [
                upload_api, media_hasher,
                "Hashes go to the hash bank while the distilled student scores text and "
                "images on batched GPUs and emits 256-d media embeddings, which are then "
                "looked up in the in-memory IVF-PQ bank.",
                hash_bank, upload_screen, violation_bank, policy_engine,
                "The policy engine blocks, holds for review or publishes; decisions and scores "
                "go to Kafka.",
            ]),
            Pipeline("Full scoring", "streaming", [
                "A consumer reads each post event; encoders run once per unique media hash "
                "(cache hit otherwise), with OCR and speech recognition when needed.",
                text_encoder, image_encoder, ocr, audio_encoder, speech_recognition,
                fusion_scorer,
                "The policy engine removes, demotes, adds a warning screen or queues for "
                "review with priority = probability × predicted views × severity.",
                review_queue,
            ]),
            Pipeline("Re-scoring and sweeps", "streaming", [
                "Triggers: report bursts, reach crossing thresholds, new model versions for "
                "high-reach posts.",
                "When media is banked, an ANN sweep over the recent-media index finds "
                "re-uploads and variants.",
                recent_media_index,
                "Signals such as report rate and spread are added to the fused score.",
            ]),
            Pipeline("Training", "batch", [
                "Daily: join labels to snapshots, rebuild training tables, refit calibration.",
                review_queue, training_tables,
                "Weekly: retrain fusion trunk and heads, distil the student.",
                fusion_training, student_distillation,
                "Quarterly: fine-tune encoders, re-encode cached media, retrain heads.",
                encoder_finetune, media_reencode,
                "Gate on per-category and per-language metrics, then register.",
            ]),
        ],
        latency_path=[
            upload_api, media_hasher,
            parallel(hash_bank, upload_screen),
            violation_bank,
            policy_engine,
            ("Write decision, publish event", 8),
        ],
        latency_target_ms=120,
        placement=(
            "Cloud, in each region's data centres next to the upload endpoints: GPU inference "
            "servers for the student and the encoders, CPU services for hashing, the bank index "
            "and the policy engine. The {violation_bank.size} bank index and the "
            "{hash_bank.size} hash bank are replicated in memory on every lookup node "
            "({bank_lookup_nodes.replicas} at peak). {upload_screen.replicas} serve the "
            "upload screen at peak, and the median path of {latency_total} leaves the rest "
            "of the {latency_target} p99 budget to batching waits and slow uploads. The "
            "encoders and fusion model are a larger asynchronous pool that can lag during bursts "
            "without blocking posting. Nothing runs on the device."),
        compression=(
            "The upload-screen student is distilled from the fusion model and quantised to "
            "INT8. Encoders run in FP16 with dynamic batching; caching by content hash avoids "
            "re-encoding reshared media, which is a large share of uploads. Bank embeddings use "
            "32-byte PQ codes (32× smaller than float32). Video frames are sampled at scene "
            "changes, and speech recognition is skipped when no speech is detected."),
        rollout=(
            "Shadow on all traffic, then a review-only canary in one market where the new "
            "model's actions go to reviewers instead of executing, which measures precision at "
            "the planned thresholds. Automated actions are then switched on category by "
            "category and market by market. A kill switch per category and market reverts to "
            "the previous model or to review-only, and an automatic rollback fires if action "
            "or overturn rates leave their bounds."),
        notes=(
            "The upload screen fails open for most categories (a timeout publishes the post, "
            "which the full scorer sees seconds later) but fails closed for child-safety hash "
            "matches, where publishing even briefly is unacceptable."),
    ),
    monitoring=Monitoring(
        operational=[
            "Upload-screen p99 latency, timeouts and fail-open count.",
            "Kafka consumer lag and time from posting to full score, by media type.",
            "GPU utilisation, embedding cache hit rate, cost per million posts.",
            "Review backlog and time to decision per queue; bank replication lag per region.",
        ],
        ml_signals=[
            "Score distribution per category and language (PSI against last week).",
            "Actions per hour per category and market, compared with the same hour last week.",
            "Reviewer agreement with the model by score bucket, a live calibration check.",
            "Weekly prevalence and appeal overturn rate per category.",
            "Missing-modality rate (OCR or speech failures) and emerging clusters of reported "
            "media that match no bank entry.",
        ],
        alerts=[
            "Automated removals for a category and market exceed twice the same hour last week: "
            "page and switch that pair to review-only.",
            "Overturn rate for a category doubles over three days: open a model incident.",
            "Prevalence confidence interval above target for two consecutive days.",
            "Upload-screen p99 above its 120 ms target for 10 minutes, or bank replication "
            "lag above 10 minutes.",
            "A fast-growing cluster of near-identical reported media: start the crisis protocol.",
        ],
        retraining=(
            "Calibration daily, fusion heads weekly on a rolling six-month window, encoders "
            "quarterly. Event-driven: a policy change relabels the affected gold set and retrains "
            "that head; a new trend gets a linear probe within a day and its media banked within "
            "minutes; a language whose overturn rate climbs gets targeted labelling."),
        failure_modes={
            "Evasion (misspellings, text in images, cropped or mirrored video)":
                "OCR, normalised text, robust perceptual hashes plus embedding search, and "
                "training augmentations drawn from red-team findings.",
            "A violent attack video re-uploaded in thousands of variants":
                "Bank the first copies at once, sweep recent posts, block matches at upload and "
                "temporarily lower review thresholds for that cluster.",
            "Over-enforcement in one language after a release":
                "Per-market kill switch to review-only, caught by the action-rate and overturn "
                "alerts.",
            "Mass-reporting against a creator":
                "Reports are weighted by reporter reliability and never remove content alone.",
            "Feedback loop from the model choosing what gets labelled":
                "Exploration share of review and the random sample keep unbiased labels.",
            "Encoder outage":
                "The upload screen falls back to hashes and text, the full scorer replays from "
                "Kafka, and child-safety matching stays fail-closed.",
        },
        notes=(
            "Monitoring here is adversarial: drift is often an opponent probing the system, not "
            "a gradual change. That is why the alerts watch actions and overturns per market "
            "hour by hour, and why banks and linear probes give a response measured in minutes "
            "and hours while full retraining runs weekly."),
    ),
)


@case.diagram("System architecture")
def architecture():
    author = User("Author")
    with stage("serving", "Scoring and enforcement"):
        api = upload_api()
        hasher = media_hasher()
        hashes = hash_bank()
        bank = violation_bank()
        screen = upload_screen()
        policy = policy_engine()
        with stage("serving", "Encoder pool, once per media hash"):
            text = text_encoder()
            image = image_encoder()
            read = ocr()
            audio = audio_encoder()
            speech = speech_recognition()
        fusion = fusion_scorer()
        recent = recent_media_index()
    with stage("data", "Data"):
        events = Kafka("Post events")
        features = FeatureStore("Feature store")
        review = review_queue()
        tables = training_tables()
    with stage("model", "Training"):
        trainer = fusion_training()
        student = student_distillation()
        finetune = encoder_finetune()
        reencode = media_reencode()
        registry = ModelRegistry("Model registry")
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Action metrics")
        sample = LabelingQueue("Prevalence sample")
        dash = Grafana("Dashboards")

    author >> api >> hasher >> hashes
    api >> screen >> Edge(label="bank embedding") >> bank
    [hashes, bank, screen] >> policy
    policy >> Edge(label="published") >> events
    events >> [text, image, read, audio, speech] >> fusion
    fusion >> Edge(label="scores", constraint="false") >> policy
    policy >> Edge(label="by expected harm") >> review
    image >> Edge(label="embeddings") >> features
    features >> Edge(style="dashed", label="sweeps") >> recent
    features >> tables >> trainer >> registry
    trainer >> Edge(label="teacher") >> student >> registry
    tables >> finetune >> registry
    finetune >> reencode >> Edge(label="new embeddings", constraint="false") >> features
    review >> Edge(label="labels", constraint="false") >> tables
    registry >> Edge(label="deploy", constraint="false") >> fusion
    registry >> Edge(label="distilled student", constraint="false") >> screen
    policy >> metrics >> dash
    sample >> dash


@case.diagram("Multimodal fusion model", stage="model")
def fusion_model():
    with stage("data", "Inputs"):
        text = InputOutput("Post text")
        images = InputOutput("Images")
        video = InputOutput("Video frames")
        sound = InputOutput("Video audio")
        context = InputOutput("Author, audience")
    with stage("serving", "Encoder pool"):
        read = ocr()
        speech = speech_recognition()
        text_enc = text_encoder()
        image_enc = image_encoder()
        audio_enc = audio_encoder()
    with stage("model", "Fusion model (weekly)"):
        video_pool = NeuralNetwork("Temporal pooling")
        tab = EmbeddingService("Context embedding")
        trunk = NeuralNetwork("Fusion transformer")
        heads = NeuralNetwork("Category heads")
        severity = NeuralNetwork("Severity head")
    [images, video] >> read >> Edge(label="OCR text") >> text_enc
    sound >> speech >> Edge(label="transcript") >> text_enc
    text >> text_enc >> trunk
    images >> image_enc >> trunk
    video >> image_enc >> video_pool >> trunk
    sound >> audio_enc >> trunk
    context >> tab >> trunk
    trunk >> heads
    trunk >> severity


@case.diagram("Enforcement funnel", stage="serving")
def funnel():
    with stage("serving", "From post to action"):
        post = InputOutput("New post")
        screen = upload_screen()
        full = fusion_scorer()
        policy = policy_engine()
        remove = Firewall("Remove")
        queue = review_queue()
        demote = Forums("Demote or warn")
        publish = Users("Stays up")
    post >> screen >> Edge(label="~99.9% pass") >> full >> policy
    screen >> Edge(label="bank match") >> remove
    screen >> Edge(label="hold for review") >> queue
    policy >> remove
    policy >> Edge(label="by expected harm") >> queue
    policy >> demote
    policy >> publish
