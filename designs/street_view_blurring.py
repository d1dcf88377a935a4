"""Street-view blurring: find and irreversibly blur faces and licence plates before publication."""
from diagrams import Edge
from diagrams.aws.iot import IotCamera, IotCar
from diagrams.aws.network import CloudFront
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import User
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.queue import Kafka
from diagrams.onprem.compute import Server
from diagrams.programming.flowchart import (Decision, InputOutput, Merge, PredefinedProcess,
                                            Preparation)

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  stage)
from mlsd.nodes import LabelingQueue, ModelRegistry, ModelServer, NeuralNetwork

# The parts of the system, declared once: drawn in the diagrams, sized in the capacity table
# and timed on the per-panorama path. Every step is a batch job over the day's panoramas; with
# one panorama in flight per GPU, a step's panoramas a second per GPU is 1,000 over its time.
PANORAMAS_PER_DAY = 6.25e6
PREP_MS, DETECT_MS, VERIFY_MS, FUSE_MS, BLUR_MS = 30, 270, 10, 20, 30

prepare = Component(
    "Rectify and tile", Preparation, stage="serving", hardware="GPU", latency_ms=PREP_MS,
    items_per_day=PANORAMAS_PER_DAY, per_second=1000 / PREP_MS,
    note="Warps the seven decoded frames with their calibration; tiles the horizon band at full "
         "resolution and the rest at half.")
detector = Component(
    "Face and plate detector", ModelServer, stage="serving", hardware="GPU",
    latency_ms=DETECT_MS, items_per_day=PANORAMAS_PER_DAY, per_second=1000 / DETECT_MS,
    note="INT8 one-stage detector over about 52 tiles at 5 ms each, then tile merge and "
         "class-wise NMS (10 ms).")
verifier = Component(
    "Crop verifier", ModelServer, stage="serving", hardware="GPU", latency_ms=VERIFY_MS,
    items_per_day=PANORAMAS_PER_DAY, per_second=1000 / VERIFY_MS,
    note="ResNet-18-sized classifier over about 50 context crops a panorama, in one batch.")
fusion = Component(
    "Multi-view fusion", Server, stage="serving", latency_ms=FUSE_MS,
    items_per_day=PANORAMAS_PER_DAY, per_second=1000 / FUSE_MS,
    note="Second pass, once the whole drive segment is detected: reprojects neighbours' "
         "detections with pose and depth, expands boxes by 15%, projects to the panorama.")
blur = Component(
    "Blur operator", PredefinedProcess, stage="serving", hardware="GPU", latency_ms=BLUR_MS,
    items_per_day=PANORAMAS_PER_DAY, per_second=1000 / BLUR_MS,
    note="Small, audited and deterministic: pixelates, blurs and adds noise, re-encodes, and "
         "signs the manifest.")
publish_gate = Component(
    "Publish gate", Decision, stage="serving",
    note="Publishes only panoramas whose manifest an approved model signed; fails closed.")
vault = Component(
    "Raw frame vault", S3, stage="data", items=90 * PANORAMAS_PER_DAY, bytes_per_item=20e6,
    note="Unblurred frames of the last 90 days of uploads, encrypted in their legal region.")
# Work around the blurring path: labelling, monthly training, slice re-scans and reports.
sampler = Component(
    "Active-learning sampler", Spark, stage="data", items_per_day=PANORAMAS_PER_DAY,
    per_second=20e3,
    note="Weekly: scans the week's detection manifests and confirmed reports and picks frames "
         "to label; a week of manifests counted per day.")
annotation = Component(
    "Annotation", LabelingQueue, stage="data", items_per_day=40e3 / 30, bytes_per_item=3e6,
    note="About 40 k frames a month (one camera frame, ~3 MB, with its polygons), each drawn "
         "twice blind and adjudicated by people; annotator time is not sized here.")
teacher_training = Component(
    "Teacher training", NeuralNetwork, stage="model", hardware="GPU", items_per_day=1e6,
    per_second=10,
    note="Monthly fine-tune of the two-stage ensemble on ~200 k frames (the month's labels "
         "plus replay) of ~15 tiles, 10 epochs: 30 M tile steps, counted per day.")
distillation = Component(
    "Student distillation", NeuralNetwork, stage="model", hardware="GPU", items_per_day=1e6,
    per_second=30,
    note="Monthly: the student learns the teacher's outputs on the same 30 M tile steps "
         "(teacher forward included), then the verifier retrains; counted per day.")
rescan = Component(
    "Catalogue re-scan", ModelServer, stage="serving", hardware="GPU",
    items_per_day=250e6 / 90, per_second=1000 / (PREP_MS + DETECT_MS + VERIFY_MS),
    note="About one slice a quarter (one large country's plates, some 250 M published "
         "panoramas) through tiling, detector and verifier on preemptible GPUs, counted per "
         "day.")
triage = Component(
    "Report triage", ModelServer, stage="monitoring", items_per_day=20e3, per_second=20,
    note="About 20 k viewer reports a day; a small CPU classifier over the marked region "
         "orders them for review.")

case = CaseStudy(
    slug="street-view-blurring",
    components=[vault, prepare, detector, verifier, fusion, blur, publish_gate, sampler,
                annotation, teacher_training, distillation, rescan, triage],
    title="Street-view blurring",
    summary=("A batch GPU pipeline that finds every identifiable face and licence plate in new "
             "street-level panoramas and blurs it *irreversibly* before publication, tuned for "
             "recall first and over-blur second."),
    prompt=("A mapping product drives camera cars through cities and publishes 360° "
            "street-level panoramas that anyone can browse. People's faces and vehicle licence "
            "plates must not be recognisable in published imagery. Design the system that "
            "detects and blurs them in every new panorama, and explain how it stays accurate as "
            "the fleet, the cameras and the countries change."),
    requirements=Requirements(
        objective=(
            "Publish fresh imagery quickly without letting anyone identify a person or a "
            "vehicle owner. Errors are asymmetric: one clearly visible face is a regulatory and "
            "reputational incident, while a blurred shop sign only makes the imagery a little "
            "less useful. So the system maximises recall of identifiable faces and plates under "
            "an over-blur budget (at most 0.5% of a panorama's pixels blurred with no face or "
            "plate under them, and at most 1% of street names and house numbers touched), at "
            "an affordable GPU cost, within a publication SLA."),
        questions={
            "What exactly must be blurred?": (
                "Any face a viewer could recognise (frontal, profile, partly occluded, behind "
                "glass, in a mirror) and any plate whose characters are legible. Faces under "
                "about 12 px tall and plates under 20 px wide in the native frame are agreed "
                "with legal to be unidentifiable."),
            "Online or offline?": (
                "Offline: drives are uploaded at the depot and published in batches. The "
                "constraints are a 48-hour upload-to-publish SLA and cost per panorama."),
            "Which countries and plate formats?": (
                "About 80 countries, each with its own plate shapes, scripts and colours, and a "
                "few new countries a year with short notice."),
            "Are unblurred originals kept?": (
                "For 90 days, encrypted and region-pinned, so a model fix can be re-applied; "
                "after that only the blurred version exists."),
            "Can viewers ask for more blurring?": (
                "Yes: reports of missed faces or plates, and requests to blur a person, car or "
                "home, are reviewed by people and applied within 24 hours."),
        },
        functional=[
            "Detect faces and plates in every camera frame of every new panorama, including "
            "small, distant, occluded and night-time ones.",
            "Blur each region irreversibly (pixelate, Gaussian blur, add noise) so no "
            "deblurring model can recover identity.",
            "Refuse to publish any panorama without a signed blur manifest from an approved "
            "model: the pipeline fails closed.",
            "Handle viewer reports and apply reviewed extra blur to published tiles and CDN "
            "caches within 24 hours.",
            "Re-scan slices of the published catalogue after a recall fix, only ever adding blur.",
        ],
        non_functional={
            "scalability": (
                "About 6.25 M panoramas a day from ~250 active cars, growing with new countries "
                "and higher-resolution rigs; the GPU pool scales with the backlog."),
            "latency": (
                "Not interactive: a p99 under 500 ms of processing per panorama, which keeps "
                "the GPU bill in line (the plan is {latency_total}), 48 hours from upload "
                "to publication, 24 hours to fix a report."),
            "throughput": (
                "{average_qps} on average, counting a panorama as a query; the pool drains "
                "backlogs after holidays or weeks of good capture weather at twice that, "
                "{peak_qps}."),
            "privacy": (
                "Raw imagery is personal data: encrypted in its legal region, readable only by "
                "the pipeline and vetted annotators in a secure environment, audited, deleted "
                "after 90 days. No identity embeddings, no plate reading."),
            "cost": (
                "About fifty inference GPUs (a fraction of a cent per panorama) plus "
                "annotation and preemptible GPUs for monthly training and slice re-scans "
                "({catalogue_re_scan.hours} a day on average); a full catalogue re-scan costs "
                "millions of GPU-hours and is avoided."),
        },
        scale=Scale(
            daily_active_users=250,  # capture vehicles on the road on an average day
            requests_per_user=25_000,  # panoramas captured per vehicle-day
            peak_to_average=2.0,  # catch-up rate when draining an upload backlog
            log_bytes_per_request=2_000,  # detection manifest: boxes, scores, model version
            new_items_per_day=PANORAMAS_PER_DAY,  # panoramas uploaded per day
            bytes_per_new_item=20e6,  # seven ~12 MP JPEG camera frames per panorama
            users="capture vehicles", requests="panoramas", new_items="panoramas",
        ),
        notes=(
            "The scale table counts capture vehicles and panoramas rather than users and "
            "requests, because load comes from the fleet, not from viewers (whose tile views "
            "are served by the CDN and never touch a model). The blurring steps are batch jobs "
            "with a 48-hour SLA, so they are sized in GPU-hours a day from the day's "
            "panoramas, not as an online fleet at peak; the serving stage adds the catch-up "
            "margin. The {new_content_per_year} of raw frames a year is why originals are "
            "kept for 90 days only (a rolling {raw_frame_vault.size}), and why re-running a model over a "
            "catalogue of tens of billions of panoramas is a project, not a routine job."),
    ),
    framing=Framing(
        ml_objective=(
            "Localise every identifiable face and plate as a box with a class and a score, and "
            "pick the threshold that maximises *coverage recall* (the share of ground-truth "
            "instances at least 90% covered by blur) under an over-blur budget. It is the right "
            "proxy because the goal is that nothing identifiable stays visible. It diverges in "
            "two ways: it counts a 13 px face like a 200 px one although the large one is the "
            "real incident, so I report it by size bucket; and it says nothing about whether "
            "the blur is strong enough, which is tested on the blur operator separately."),
        input=(
            "One panorama: seven rectified ~12 MP camera frames, each camera's calibrated "
            "pose, GPS and IMU, a lidar or stereo depth map, capture time and country."),
        output=(
            "Polygons in panorama coordinates with class (face, plate, crowd), score and model "
            "version, in a signed blur manifest; a deterministic step turns it into pixels."),
        category=(
            "Object detection of small objects, followed by a binary crop verifier and "
            "geometric multi-view fusion."),
        alternatives={
            "Frame classification (is there a face?)": (
                "We need the pixels to blur, not a yes/no; nearly every frame with a face also "
                "has pixels that must stay sharp."),
            "Person and vehicle segmentation": (
                "Blurring whole bodies and cars would wreck the imagery for mapping; only the "
                "face or plate identifies, and masks cost far more to label."),
            "Plate OCR, then blur what reads as a plate": (
                "Reading plates creates the very personal data we must not hold, and OCR fails "
                "on the small, angled, dirty plates that matter most."),
            "Blurring on the vehicle": (
                "The car's power budget fits only a weak model, and without originals no later "
                "fix could be applied; a future option once the model is mature."),
        },
        notes=(
            "Keeping *detection* and *blurring* apart is deliberate: the model only proposes "
            "regions and a small, audited, deterministic operator turns them into pixels, so "
            "irreversibility is proven once (by attacking our own blur with a deblurring "
            "network and a face matcher) rather than hoped for in every model version."),
    ),
    data=DataPreparation(
        sources={
            "Raw frame vault": (
                "Unblurred JPEG frames in encrypted object storage, one bucket per legal "
                "region, with a 90-day deletion rule."),
            "Capture metadata": (
                "Calibration, GPS, IMU, depth maps, capture time and rig generation per frame, "
                "in a columnar table keyed by drive and frame."),
            "Annotation store": (
                "Boxes, polygons, attributes (size, occlusion, lighting, *ignore*) and policy "
                "version, in a database inside the secure labelling environment."),
            "Detection manifests": (
                "Every production box, score and model version per panorama in a log table: "
                "the input to audits, re-scans and active learning."),
            "Reports and reviews": (
                "Viewer-reported regions and reviewer verdicts in the trust-and-safety case "
                "database, plus a per-country plate format catalogue kept by the mapping team."),
        },
        labels=(
            "There is no natural label: nobody clicks to confirm a face was blurred. Labels are "
            "drawn by trained annotators in a locked-down virtual desktop, on full-resolution "
            "frames, about 40k frames a month chosen by active learning. Their noise is mostly "
            "omission (a few percent of tiny or hidden faces are missed, teaching the model "
            "they are background), so every frame gets two blind passes and an adjudicator, and "
            "a separate audit set is labelled *without* model pre-boxes so annotators are not "
            "anchored on the model's misses. Viewer reports are the other source: sparse, "
            "delayed by days to years, skewed to popular places and sometimes abusive, but each "
            "confirmed report is a real production miss and becomes a hard positive."),
        features=[
            Feature("Frame pixels",
                    "Rectified RGB at native resolution in 1024×1024 tiles with 128 px "
                    "overlap, normalised per channel, float16."),
            Feature("Horizon band",
                    "Per-pixel elevation angle from the camera pose; rows within ±12° of the "
                    "horizon run at full resolution, the rest at half."),
            Feature("Camera index",
                    "One-hot over the seven rig positions, which see different object sizes "
                    "and distortion."),
            Feature("Metric depth",
                    "Lidar or stereo depth resampled to the tile, log-scaled, as an extra "
                    "input channel: it bounds how large a face can be at each pixel."),
            Feature("Lighting",
                    "Sun elevation from time and GPS bucketed into day, dusk and night, plus "
                    "mean tile luminance, as a small embedding."),
            Feature("Plate family",
                    "Country's plate format family (about 60) embedded in 16 dimensions; "
                    "verifier input for plate crops only."),
            Feature("Neighbour prior",
                    "Detections from adjacent panoramas reprojected with pose and depth and "
                    "rasterised as a heatmap; fusion step only."),
            Feature("Context crop",
                    "Verifier input: the candidate box enlarged 2×, resized to 128×128, plus "
                    "its log pixel size."),
            Feature("Image quality",
                    "Laplacian-variance blur score and clipped-exposure ratio, standardised; "
                    "used for slicing and routing to QA."),
        ],
        pipeline=[
            "Ingest uploads at the regional depot, verify checksums, write to the vault and "
            "emit a *segment ready* event once every panorama of a drive segment has arrived.",
            "Rectify frames with their calibration and attach pose, depth and metadata.",
            "Drop near-duplicate frames (a car waiting at a red light) from the labelling "
            "pool by GPS and time; every frame is still blurred.",
            "Select frames to label: a stratified random share for evaluation, and an active "
            "share (scores 0.15-0.6, multi-view disagreements, confirmed reports, new rigs "
            "and countries).",
            "Annotate in two blind passes, adjudicate, version labels by policy.",
            "Split by geography and drive, so the same pedestrian never sits in train and "
            "test; add synthetic rare-format plates to training only.",
        ],
        privacy=(
            "The imagery is the personal data, so the design minimises it: originals stay in "
            "their legal region and EU imagery trains on EU infrastructure; labelled frames sit "
            "in a separate vault with their own retention under a documented legal basis "
            "(it grows by {annotation.growth} a year); "
            "detections are stored as geometry only, never as face embeddings or plate text; "
            "annotators cannot export anything and their access is logged; deletion requests "
            "reach the vault, the labels and future training shards."),
        bias=(
            "Face detectors tend to lose recall on darker skin in poor light, children, "
            "head coverings, helmets, masks and profiles; plate detectors on non-Latin scripts, "
            "square motorcycle plates and paper temporary plates. Capture over-represents rich "
            "city centres. I annotate perceived skin tone, age group and head covering on the "
            "evaluation set only, report recall per slice and country, and gate releases on "
            "**minimum slice recall**, not the average."),
        notes=(
            "Two data decisions matter more than the architecture: *ignore* regions (statues, "
            "mannequins, unreadable crowds) so sensible detections are not punished, and the "
            "identifiability threshold agreed with legal, which fixes both the annotation "
            "policy and the recall denominator."),
    ),
    model=ModelDevelopment(
        baseline=(
            "Open-source pretrained face and plate detectors on downscaled frames at a fixed "
            "threshold: quick slice-by-slice numbers, but most faces under 30 px and unfamiliar "
            "plate formats are missed, which is exactly where the risk is."),
        candidates=[
            Candidate(
                "Two-stage detector (Faster R-CNN with FPN)",
                "Region proposals, then per-region classification and box refinement on a "
                "ResNet-101 pyramid.",
                pros=["Strong on small objects and box quality.", "Mature training recipes."],
                cons=["About twice the GPU time per tile, so twice the fleet.",
                      "Proposal caps can drop faces in dense crowds."]),
            Candidate(
                "One-stage anchor-free detector with a stride-4 level",
                "Dense per-pixel classification and box regression (FCOS style) on a pyramid "
                "extended down to P2, shared by face, plate and crowd classes.",
                pros=["Fast, exports cleanly to TensorRT INT8; cost depends on tiles, not "
                      "object count.",
                      "Stride 4 resolves 12 px faces; a low threshold buys recall cheaply."],
                cons=["Many false positives at a low threshold (signs, grilles, dog faces).",
                      "P2 raises memory on large tiles."]),
            Candidate(
                "Transformer detector (DETR family)",
                "Set prediction with learned queries on a hierarchical vision transformer.",
                pros=["No hand-tuned NMS; context helps with occlusion."],
                cons=["Fixed query budgets and coarse attention struggle with many tiny "
                      "objects in large tiles.",
                      "Slower to train and serve, harder to quantise."]),
        ],
        choice=(
            "A **cascade**: the one-stage detector runs on every tile at a low threshold "
            "(~0.15) for recall; a ResNet-18-sized verifier re-scores 128×128 context crops to "
            "recover precision; and geometric fusion with neighbouring panoramas recovers faces "
            "missed in one view but seen in the next. Cost is dominated by the backbone over ~52 "
            "tile equivalents per panorama, so detector speed matters more than a point of AP; "
            "the verifier only sees a few dozen crops. A large two-stage ensemble with "
            "test-time augmentation stays offline as a *teacher*: it pre-labels for annotators, "
            "is distilled into the student and gives audits a second opinion."),
        loss=(
            "Detector: sigmoid focal loss (γ = 2, α = 0.25) on the dense class map, GIoU and "
            "centre-ness losses on boxes, plus a *coverage* term 1 − |B ∩ G| / |G| that "
            "penalises a box B for leaving ground truth G uncovered but not for being slightly "
            "large, since under-covering leaks identity and over-covering costs a few pixels. "
            "Ignore regions add no loss. Verifier: binary cross-entropy with positive weight 4, "
            "thresholded to keep 99.5% of true candidates."),
        training_data=(
            "Positives are labelled faces, plates and crowd polygons; tiles are sampled so half "
            "of each batch has an object under 24 px, because small objects are rare per tile "
            "but dominate misses. Easy negatives come free from the dense map (focal loss "
            "handles the imbalance of thousands of background locations per object); hard "
            "negatives are mined each cycle from verifier false positives: signs, shop "
            "lettering, grilles, animal faces. House numbers and street names are *protected* "
            "negatives because blurring them hurts the map. Rare slices (night, snow, rare "
            "plates, children) are oversampled up to 5×. Splits hold out whole cities, and the "
            "test set always includes the latest month of capture so a new rig or season shows "
            "up before release."),
        notes=(
            "On tiny faces the levers are the stride-4 level, full resolution on the horizon "
            "band (in level street imagery distant objects sit near the horizon, so the rest can "
            "run at half resolution) and the multi-view prior: a pedestrian at 15 px in one "
            "panorama is often 40 px in the next."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Coverage recall by size",
                   "Share of identifiable instances ≥90% covered by the final mask, for 12-24, "
                   "24-64 and >64 px; release bar ~99.5% above 24 px and 97% below."),
            Metric("Minimum slice recall",
                   "Lowest coverage recall across skin tone, age, head covering, lighting, rig "
                   "and country, so an average gain cannot hide a group's regression."),
            Metric("Over-blur rate",
                   "Blurred pixels covering no ground truth per panorama, and the share of "
                   "protected text (street names, house numbers) blurred, against the budget "
                   "of 0.5% and 1% set in the objective."),
            Metric("AP by object size",
                   "For day-to-day iteration only: it rewards tight boxes, which blurring does "
                   "not need."),
        ],
        online=[
            Metric("Audited miss rate",
                   "Missed instances per 1,000 published panoramas in a weekly stratified "
                   "audit of ~20k, with confidence intervals: the real production recall."),
            Metric("Confirmed reports per million views",
                   "Misses viewers actually notice; lagging and biased to popular places."),
            Metric("Map-data yield",
                   "Share of signs and house numbers the mapping extractors still read: the "
                   "over-blur guardrail."),
            Metric("Publish time and cost per panorama",
                   "So a better model that breaks the 48-hour SLA or doubles cost is visible."),
        ],
        gap=(
            "Offline tests use rectified single frames, but viewers see stitched panoramas, "
            "where a face split by a seam can leak half a face although both frames detected "
            "it. The offline denominator excludes faces below the threshold, but viewers zoom "
            "in and report borderline ones. New rigs, countries and seasons are often missing "
            "from the test set when a model ships. And reports are so sparse and delayed that a "
            "real recall drop can take months to show, which is why the audit, not reports, is "
            "the primary online measure."),
        experiments=(
            "A user-facing A/B test is unacceptable: a worse arm would knowingly publish "
            "identifiable people. Models are compared on the same inputs instead. **Paired "
            "shadow**: the candidate runs beside production on a week of fresh capture and "
            "reviewers label only regions where the masks disagree, which estimates the recall "
            "and over-blur difference with a few thousand labels. **Union rollout**: for two "
            "weeks per region the published mask is old OR new, so recall can only rise while "
            "the new model's over-blur is measured. **Power**: with about four identifiable "
            "faces and plates per panorama, a quarter of them under 24 px, the release bars "
            "leave about 45 misses per 1,000 panoramas; seeing a 25% relative change takes "
            "about 5,000 audited panoramas per arm overall, more because misses cluster in "
            "crowded scenes, and as many again for every slice that gates a release, so the "
            "audit budget goes into disagreements. "
            "Guardrails: minimum slice recall, protected-text blur rate, cost."),
        notes=(
            "Auditors looking at blurred output can see misses but not needless blur, so "
            "over-blur is measured on originals in the secure environment while they are still "
            "inside the 90-day window."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Blur new imagery", "batch", [
                "A *segment ready* event queues the drive segment on the GPU pool, oldest "
                "upload first; one job per segment, in two passes.",
                "Pass 1, per panorama: decode the seven frames on the GPU's JPEG engine, on a "
                "separate stream, so decoding hides behind the previous panorama's detector.",
                prepare,
                detector,
                "Run at a low threshold; merge tiles with class-wise NMS.",
                verifier,
                "Pass 2, once every panorama of the segment has its detections:",
                fusion,
                blur,
                publish_gate,
                "Anything unsigned is held back and pages on-call.",
            ]),
            Pipeline("Viewer reports", "streaming", [
                "A report arrives with panorama id and marked region.",
                triage,
                "A triage model ranks it for review; a reviewer confirms and draws the region.",
                "Blur is added to published tiles and the CDN cache is purged within 24 hours.",
                "Confirmed misses join the hard-positive pool.",
            ]),
            Pipeline("Active learning and training", "batch", [
                sampler,
                "Weekly, select frames from production manifests and reports for labelling.",
                annotation,
                teacher_training,
                distillation,
                "Monthly, fine-tune the teacher, distil the student, retrain the verifier.",
                "Gate on size-bucket and minimum slice recall, over-blur and INT8/FP16 parity; "
                "register.",
            ]),
            Pipeline("Catalogue re-scan", "batch", [
                "After a fix for one slice (say a country's plates), select its published "
                "panoramas.",
                rescan,
                "Run the new model on preemptible GPUs over the blurred imagery and add any "
                "new regions; blur is never removed.",
            ]),
        ],
        latency_path=[("Decode 7 JPEG frames", 60), prepare, detector, verifier, fusion, blur],
        latency_target_ms=500,
        placement=(
            "A cloud GPU batch pool (L4-class inference GPUs) in the raw vault's legal region, "
            "one panorama in flight per GPU. One panorama's work takes {latency_total} from "
            "decode to signed manifest, not counting the wait for the rest of its segment "
            "between the passes; decoding runs on the JPEG engine and fusion on CPU, so a GPU "
            "is busy for the other steps only. Sized as batch jobs over the day's panoramas, "
            "rectifying and tiling takes {rectify_and_tile.hours} a day, the detector "
            "{face_and_plate_detector.hours} (it alone keeps "
            "{face_and_plate_detector.machines} busy on average), the verifier "
            "{crop_verifier.hours} and the blur {blur_operator.hours}; fusion adds "
            "{multi_view_fusion.hours}. The pool holds twice the busy GPUs, about fifty, so a "
            "day's backlog drains in a day and stays inside the 48-hour SLA; it grows with the "
            "backlog, not with a peak rate. The detector time is an estimate to be measured: "
            "about 250 billion operations per 1024-px tile (backbone, pyramid and heads down "
            "to stride 4), at about 50 TOPS sustained in INT8 (a fifth of an L4's dense peak, "
            "usual for convolutions under TensorRT), is 5 ms a tile. Teacher training "
            "({teacher_training.hours} a day averaged over the month), distillation "
            "({student_distillation.hours}) and slice re-scans ({catalogue_re_scan.hours}) "
            "use preemptible capacity at night."),
        compression=(
            "The detector is distilled from the teacher ensemble and quantised to INT8 with "
            "TensorRT, calibrated on tiles that over-represent small, dark and blurred objects, "
            "which quantisation hurts first. If INT8 loses more than 0.2 points of small-object "
            "recall, the stride-4 head stays FP16. Seven ~12 MP frames are 84 MP; 1024-px "
            "tiles overlapping by 128 px each add 896 × 896 new pixels, so a panorama is about "
            "105 tiles at full resolution. The horizon band is about a third of the rows, and "
            "half resolution elsewhere (a quarter of the pixels there) cuts the work to about "
            "52 tile equivalents per panorama, with no measurable loss above 24 px."),
        rollout=(
            "Offline gates, then a week of paired shadow with reviewed disagreements, then "
            "region-by-region *union* mode for two weeks, then the new model alone. Manifests "
            "record the model version, so a bad release is rolled back by re-running the "
            "previous model on panoramas still in the 90-day window; after that blur cannot be "
            "removed, which is why the union phase exists."),
        notes=(
            "Batch per drive rather than streaming per frame: fusion needs the detections of "
            "neighbouring panoramas, so a drive segment runs in two passes (detect every "
            "panorama, then fuse and blur), and the segment is also the publish unit. One job "
            "per segment keeps the geometry simple and lets the scheduler pack GPUs tightly."),
    ),
    monitoring=Monitoring(
        operational=[
            "Backlog and age of the oldest unpublished panorama against the 48-hour SLA.",
            "Panoramas per second, GPU utilisation, cost per 1,000 panoramas.",
            "Decode, rectification and calibration failures per drive.",
            "Publish-gate rejections (should be zero) and report time-to-fix.",
        ],
        ml_signals=[
            "Detections per panorama by class, country and rig against a four-week baseline "
            "for similar scenes.",
            "Detector and verifier score drift (PSI per class); mass near the threshold means "
            "many borderline cases.",
            "Multi-view inconsistency: objects found in panoramas t−1 and t+1 but not t, a "
            "label-free proxy for misses.",
            "Input quality per camera (brightness, blur, clipping) to catch dirty lenses.",
            "Verifier calibration and miss rate per slice from the weekly audit.",
        ],
        alerts=[
            "Detections per panorama drop over 30% for a rig or country in six hours: pause "
            "publication for it automatically.",
            "Oldest unpublished panorama over 36 hours: page on-call.",
            "Any manifest signature failure at the publish gate: page immediately.",
            "Audited miss rate's upper bound above target for a slice: open a model incident.",
        ],
        retraining=(
            "Monthly, fine-tuning from the last checkpoint on new active-learning labels plus "
            "a replay sample so old slices do not regress. Early triggers: a new rig (a few "
            "thousand of its frames are labelled before it enters service), a new country (its "
            "plates labelled and synthesised before launch), or a slice under its recall floor. "
            "Every retrain goes through shadow and union rollout."),
        failure_modes={
            "New camera rig changes colour or sharpness":
                "Block the rig from publication until its labelled calibration set shows "
                "recall at par, then fine-tune on it.",
            "Faces split by stitching seams":
                "Detect per camera frame and project; a narrow seam-band pass on the stitched "
                "panorama is the backstop.",
            "Crowds at markets and events":
                "A crowd class blurs the dense region as one polygon instead of hundreds of boxes.",
            "Over-blurred street signs":
                "Protected-text negatives, the map-data yield guardrail and a pre-release "
                "protected-text check.",
            "A bug publishes unblurred imagery":
                "The publish gate fails closed; a runbook removes tiles from the CDN within an "
                "hour.",
            "Abusive blur requests (a rival's storefront)":
                "Human review against policy and per-account rate limits; reports never act "
                "on their own.",
        },
        notes=(
            "The dangerous failures are silent: a model quietly losing recall on one country's "
            "plates raises no error and viewers may take months to notice. Hence label-free "
            "proxies, a standing audit budget, and automatic pauses rather than waiting for a "
            "human."),
    ),
)


@case.diagram("System architecture")
def architecture():
    car = IotCar("Capture car")
    viewer = User("Map viewer")
    with stage("data", "Data"):
        raw = vault()
        pick = sampler()
        annotate = annotation()
    with stage("model", "Training"):
        teacher = teacher_training()
        student = distillation()
        registry = ModelRegistry("Model registry")
    with stage("serving", "Blurring pipeline, one job per drive segment"):
        events = Kafka("Segment-ready events")
        prep = prepare()
        detect = detector()
        verify = verifier()
        fuse = fusion()
        blurred = blur()
        gate = publish_gate()
        tiles = CloudFront("Public imagery")
        slice_scan = rescan()
    with stage("monitoring", "Monitoring"):
        ranked = triage()
        metrics = Prometheus("Pipeline metrics")
        audit = LabelingQueue("Audits and reports")
        dash = Grafana("Dashboards")

    car >> Edge(label="upload") >> raw >> events >> prep >> detect >> verify
    verify >> Edge(label="pass 2") >> fuse >> blurred >> gate
    gate >> Edge(label="signed") >> tiles >> viewer
    gate >> Edge(label="unsigned: held, page", style="dashed") >> metrics
    raw >> pick >> annotate >> teacher >> student >> registry
    tiles >> Edge(label="slice") >> slice_scan
    registry >> Edge(constraint="false") >> slice_scan
    slice_scan >> Edge(label="added blur", constraint="false") >> tiles
    registry >> Edge(label="deploy", constraint="false") >> detect
    registry >> Edge(constraint="false") >> verify
    blurred >> metrics >> dash
    tiles >> Edge(label="sample") >> audit
    viewer >> Edge(label="report", constraint="false") >> ranked >> audit
    audit >> Edge(label="miss rate") >> dash


@case.diagram("Per-segment cascade", stage="serving")
def cascade():
    with stage("data", "Capture inputs"):
        frames = IotCamera("7 camera frames")
        pose = InputOutput("Pose and depth")
    with stage("serving", "Pass 1: every panorama of the segment"):
        prep = prepare()
        detect = detector()
        verify = verifier()
    with stage("serving", "Pass 2: once the segment is detected"):
        neighbours = InputOutput("Neighbours' detections")
        fuse = fusion()
        blurred = blur()
        gate = publish_gate()
    with stage("serving", "Outcome"):
        publish = CloudFront("Published tiles")
        held = Server("Held back, on-call paged")
    frames >> prep >> Edge(label="~52 tiles") >> detect >> Edge(label="~50 crops") >> verify
    verify >> Edge(label="whole segment") >> neighbours >> fuse >> blurred >> gate
    verify >> Edge(label="this panorama") >> fuse
    pose >> prep
    pose >> Edge(constraint="false") >> fuse
    gate >> Edge(label="signed") >> publish
    gate >> Edge(label="unsigned", style="dashed") >> held


@case.diagram("Detector", stage="model")
def detector_model():
    with stage("model", "One-stage detector with a stride-4 level"):
        tile = InputOutput("Tile plus depth")
        backbone = NeuralNetwork("CNN backbone")
        fpn = NeuralNetwork("Feature pyramid P2-P6")
        cls = NeuralNetwork("Class head: face, plate, crowd")
        box = NeuralNetwork("Box and centre-ness head")
        nms = Merge("Merge tiles, NMS")
    tile >> backbone >> fpn
    fpn >> cls >> nms
    fpn >> box >> nms
