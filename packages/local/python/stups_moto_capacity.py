"""moto patches (stups-local), installed by sitecustomize.py with STUPS_LOCAL_MOTO_PATCHES=1 after
stups_moto_launch.py's: the account's On-Demand vCPU quota, the scaling activities that show
its failures, and a suspended Launch process. moto launches every instance an Auto Scaling group
asks for and answers DescribeScalingActivities with an empty list; on AWS:

1. Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances are limited by a vCPU quota of
   the account and region (Service Quotas L-1216C47A,
   https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html). A launch that would
   exceed it fails with `VcpuLimitExceeded` "You have requested more vCPU capacity than your current
   vCPU limit of N allows for the instance bucket that the specified instance type belongs to. Please
   visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit."
   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html#vcpu-limit-exceeded).
   The quota is STUPS_LOCAL_VCPU_LIMIT (default 10000: never reached by a test platform; a test sets
   it low).
2. An Auto Scaling group records each launch as a scaling activity: `Successful` "Launching a new EC2
   instance: i-…", or `Failed` "Launching a new EC2 instance.  Status Reason: <EC2's message> Launching
   EC2 instance failed." with that reason as StatusMessage; DescribeScalingActivities lists them,
   newest first (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Activity.html,
   https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-verify-scaling-activity.html). The group
   launches the missing instances again when its capacity is set again.
3. A group whose `Launch` process is suspended launches no instance: not for a higher desired
   capacity, not to replace an instance that was terminated without lowering it. Once `Launch` is
   resumed, the group launches what its desired capacity lacks
   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html,
   "Launch" and "Considerations"). moto recorded the suspension and launched anyway.
"""

import os

_STANDARD_FAMILIES = set("acdhimrtz")
_VCPU_LIMIT_MESSAGE = (
    "You have requested more vCPU capacity than your current vCPU limit of {limit} allows for the instance "
    "bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request "
    "to request an adjustment to this limit."
)


def _vcpu_limit():
    try:
        return int(os.environ.get("STUPS_LOCAL_VCPU_LIMIT") or 10000)
    except ValueError:
        return 10000


def _vcpus(instance_type):
    try:
        from moto.ec2.models.instance_types import INSTANCE_TYPES

        return int(INSTANCE_TYPES[instance_type]["VCpuInfo"]["DefaultVCpus"])
    except Exception:
        return 1


def _standard(instance_type):
    return bool(instance_type) and instance_type[0].lower() in _STANDARD_FAMILIES


def _running_standard_vcpus(ec2_backend):
    total = 0
    for instance in ec2_backend.all_instances():
        if instance.state in ("pending", "running") and _standard(instance.instance_type):
            total += _vcpus(instance.instance_type)
    return total


def _launch_suspended(group):
    return "Launch" in (group.__dict__.get("_suspended_processes") or [])


def _patch_capacity(module):
    group_class = module.FakeAutoScalingGroup
    backend_class = module.AutoScalingBackend
    activity_class = module.Activity
    utcnow = module.utcnow
    original_replace = group_class.replace_autoscaling_group_instances
    original_resume = backend_class.resume_processes

    def _record(group, activity):
        activities = group.__dict__.setdefault("_stups_activities", [])
        activities.append(activity)
        del activities[:-100]

    def replace_autoscaling_group_instances(self, count_needed, propagated_tags):
        if count_needed <= 0:
            return original_replace(self, count_needed, propagated_tags)
        if _launch_suspended(self):
            return None
        instance_type = self.instance_type
        fit = count_needed
        limit = _vcpu_limit()
        if _standard(instance_type):
            free = limit - _running_standard_vcpus(self.autoscaling_backend.ec2_backend)
            fit = max(0, min(count_needed, free // max(1, _vcpus(instance_type))))
        before = len(self.instance_states)
        if fit > 0:
            original_replace(self, fit, propagated_tags)
        size = before
        for state in self.instance_states[before:]:
            now = utcnow()
            cause = (
                f"At {now.strftime('%Y-%m-%dT%H:%M:%SZ')} an instance was started in response to a difference "
                f"between desired and actual capacity, increasing the capacity from {size} to {size + 1}."
            )
            size += 1
            activity = activity_class(
                f"Launching a new EC2 instance: {state.instance.id}", cause, self, start_time=now, status_code="Successful"
            )
            activity.progress = 100
            _record(self, activity)
        for _ in range(count_needed - fit):
            now = utcnow()
            reason = _VCPU_LIMIT_MESSAGE.format(limit=limit) + " Launching EC2 instance failed."
            cause = (
                f"At {now.strftime('%Y-%m-%dT%H:%M:%SZ')} an instance was started in response to a difference "
                f"between desired and actual capacity, increasing the capacity from {size} to {size + 1}."
            )
            activity = activity_class(
                f"Launching a new EC2 instance.  Status Reason: {reason}", cause, self, start_time=now, status_code="Failed"
            )
            activity.status_message = reason
            activity.progress = 100
            _record(self, activity)

    def resume_processes(self, group_name, scaling_processes):
        group = self.autoscaling_groups[group_name]
        held = _launch_suspended(group)
        original_resume(self, group_name, scaling_processes)
        if held and not _launch_suspended(group):
            self.set_desired_capacity(group_name, group.desired_capacity)

    group_class.replace_autoscaling_group_instances = replace_autoscaling_group_instances
    backend_class.resume_processes = resume_processes


def _patch_activity_responses(module):
    responses = module.AutoScalingResponse
    action_result = module.ActionResult

    def describe_scaling_activities(self):
        names = self._get_param("ActivityIds", [])
        group_name = self._get_param("AutoScalingGroupName")
        max_records = int(self._get_param("MaxRecords") or 100)
        groups = self.autoscaling_backend.autoscaling_groups
        chosen = [groups[group_name]] if group_name in groups else ([] if group_name else list(groups.values()))
        activities = [a for g in chosen for a in g.__dict__.get("_stups_activities", [])]
        if names:
            activities = [a for a in activities if a.activity_id in names]
        activities.sort(key=lambda a: a.start_time, reverse=True)
        return action_result({"Activities": activities[:max_records]})

    responses.describe_scaling_activities = describe_scaling_activities


PATCHES = {
    "moto.autoscaling.models": _patch_capacity,
    "moto.autoscaling.responses": _patch_activity_responses,
}
